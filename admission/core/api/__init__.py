"""The one contract every endpoint under /api/ keeps, with no domain knowledge (docs/api-changelog.md tells its story).

- ``problems``: every 4xx (and the 5xx that escapes) is an RFC 9457 problem (`application/problem+json`):
  ``type``, ``title``, ``status``, ``detail`` (a sentence for people), ``code`` and ``errors`` (one entry per field,
  named by its path in the body or the query: ``relatives.0.birth_year``); unknown paths and wrong methods too.
- ``parsers``: JSON bodies are objects, at most ``API_MAX_BODY_BYTES`` long and ``API_MAX_JSON_DEPTH`` deep;
  uploads at most ``API_MAX_UPLOAD_BYTES``.
- ``fields``: input fields with bounds (dates, counts, ids, lists) so that no value reaches the database unchecked;
  ``form_data`` hands a JSON body to a Django form as the strings a form expects.
- ``pagination``: every list answers one page (``count``, ``next``, ``previous``, ``results``), ``limit`` 1–200.
- ``filters``: django-filter pieces that refuse what they do not understand (400), not ignore it.
- ``schema``: the tags per area and the error answers of every operation in the OpenAPI schema.
- ``redirects``: the old paths of a renamed endpoint answer 308 to the new one for one release.
"""
