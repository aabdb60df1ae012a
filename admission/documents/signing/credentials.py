"""Who signs for a body, and whom the verification trusts.

A body signs with its `BodySigner`: a PKCS#12 file (key, certificate and chain; path absolute or under SIGNING_DIR)
or a key on a token behind a PKCS#11 module (python-pkcs11 must then be installed). The passphrase or PIN comes from
the environment variable or the file the row names, never from the database. The trusted roots are the
certificates in SIGNING_DIR/trust (*.pem, *.crt, *.cer: PEM or DER), with the revocation lists found beside them
(*.crl), used both to embed validation data when signing and to judge an uploaded PDF.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from asn1crypto import crl as asn1_crl
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.sign import signers
from pyhanko_certvalidator import ValidationContext

from admission.documents.models import BodySigner, SignerKind
from admission.party.models.orgs import PartyOrg


def signing_dir() -> Path:
    return Path(settings.SIGNING_DIR)


def trust_dir() -> Path:
    return signing_dir() / "trust"


def signer_for(org: PartyOrg | int | None) -> BodySigner | None:
    """The active signer of the body that issues a document, or None when the body signs by hand only."""
    if org is None:
        return None
    org_id = org.pk if isinstance(org, PartyOrg) else org
    return BodySigner.objects.select_related("org").filter(org_id=org_id, active=True).first()


def _resolve(path: str) -> Path:
    candidate = Path(path)
    return candidate if candidate.is_absolute() else signing_dir() / candidate


def _secret(config: BodySigner) -> bytes | None:
    if config.secret_env:
        value = os.environ.get(config.secret_env)
        if value is None:
            raise ImproperlyConfigured(f"{config.secret_env} (the signing secret of {config.org}) is not set.")
        return value.encode()
    if config.secret_file:
        return _resolve(config.secret_file).read_bytes().strip()
    return None


@contextmanager
def open_signer(config: BodySigner) -> Iterator[signers.Signer]:
    """A pyHanko signer for the body, open for the duration of the block (a PKCS#11 session is closed after it)."""
    if config.kind == SignerKind.PKCS11:
        # python-pkcs11 is needed only where a token is configured: imported here, not at start.
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign import pkcs11

        pin = _secret(config)
        session = pkcs11.open_pkcs11_session(
            config.pkcs11_module,
            token_criteria=TokenCriteria(label=config.pkcs11_token or None),
            user_pin=pin.decode() if pin else None,
        )
        try:
            # The digest is computed here and the token signs it raw (CKM_ECDSA, CKM_RSA_PKCS): many tokens, SoftHSM
            # among them, offer no hash-then-sign mechanism for EC keys.
            yield pkcs11.PKCS11Signer(
                session,
                key_label=config.pkcs11_key,
                cert_label=config.pkcs11_cert or config.pkcs11_key,
                use_raw_mechanism=True,
            )
        finally:
            session.close()
        return
    path = _resolve(config.pkcs12_file)
    if not path.is_file():
        raise ImproperlyConfigured(f"The PKCS#12 file of {config.org} is missing: {path}")
    signer = signers.SimpleSigner.load_pkcs12(str(path), passphrase=_secret(config))
    if signer is None:
        raise ImproperlyConfigured(f"The PKCS#12 file of {config.org} could not be read (passphrase?): {path}")
    yield signer


def _load_certificates(data: bytes) -> list[asn1_x509.Certificate]:
    if pem.detect(data):
        return [asn1_x509.Certificate.load(der) for _kind, _headers, der in pem.unarmor(data, multiple=True)]
    return [asn1_x509.Certificate.load(data)]


def _load_crls(data: bytes) -> list[asn1_crl.CertificateList]:
    if pem.detect(data):
        return [asn1_crl.CertificateList.load(der) for _kind, _headers, der in pem.unarmor(data, multiple=True)]
    return [asn1_crl.CertificateList.load(data)]


def trust_roots() -> list[asn1_x509.Certificate]:
    """The certificates the verification trusts: every one found in SIGNING_DIR/trust."""
    roots: list[asn1_x509.Certificate] = []
    folder = trust_dir()
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() in (".pem", ".crt", ".cer"):
                roots.extend(_load_certificates(path.read_bytes()))
    return roots


def revocation_lists() -> list[asn1_crl.CertificateList]:
    lists: list[asn1_crl.CertificateList] = []
    folder = trust_dir()
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() == ".crl":
                lists.extend(_load_crls(path.read_bytes()))
    return lists


def validation_context(**options: Any) -> ValidationContext:
    """Trust the configured roots only (not the system's), use the local revocation lists, fetch nothing over the
    network (a public page must not be made to call out), and accept a certificate whose revocation status cannot
    be established (most issuing CAs publish it online only)."""
    return ValidationContext(
        trust_roots=trust_roots(),
        crls=revocation_lists(),
        allow_fetching=False,
        revocation_mode="soft-fail",
        **options,
    )
