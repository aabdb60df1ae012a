"""Digital signatures (PAdES) on the documents a party body issues: resolutions and decisions, 6-, 8-, 9-, 13-, 15-
and 16-KNĐ (issue 16).

* `credentials` — who signs for a body: its `BodySigner` row (a PKCS#12 file, or a key on a PKCS#11 token), the
  trusted roots and revocation lists under SIGNING_DIR;
* `appearance` — the visible signature block, drawn in the party-document style into the signer's space;
* `sign` — signing a rendered form (pyHanko), with a timestamp when a TSA is configured and the validation data
  embedded (LTV) when the chain leads to a trusted root;
* `verify` — what an uploaded PDF's signatures say: who signed, when, for which body, whether it was altered since,
  whether the certificate is trusted by the configured roots.

Keys never live in git or in MEDIA_ROOT (which the development server serves): under SIGNING_DIR, or on a token.
"""

from __future__ import annotations

# The forms that are issued by a body and signed by it (forms.md: resolutions and decisions carry "Số …" and a seal).
SIGNED_FORMS = ("6-KNĐ", "8-KNĐ", "9-KNĐ", "13-KNĐ", "15-KNĐ", "16-KNĐ")
