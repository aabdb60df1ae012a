"""The demo's digital-signature credentials: a demo certification authority and one certificate per party body of
the demo province, as PKCS#12 files under SIGNING_DIR (git-ignored), with a `BodySigner` row for each body.

A real deployment holds certificates issued by a trusted CA (in Vietnam the Government's, for party and state
bodies) on tokens or in PKCS#12 files; here everything is made locally so that `make run` signs and verifies out
of the box. The CA's certificate goes into SIGNING_DIR/trust (the verification trusts it) with an empty revocation
list, so signatures reach PAdES B-B with the validation data embedded. The helpers (`make_ca`, `issue`,
`write_pkcs12`) also make the tests' CAs: trusted, untrusted, expired. Elliptic-curve keys (P-256): quick to make,
and read by pyHanko, poppler's pdfsig and Acrobat alike. Idempotent: an existing file is kept.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings

from admission.documents import formatting
from admission.documents.models import BodySigner, SignerKind
from admission.party.models.orgs import PartyOrg

CA_NAME = "Demo CA Kết nạp đảng viên (không dùng thật)"
UTC = datetime.UTC


@dataclass(frozen=True)
class Issued:
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
    cert: x509.Certificate


def _fit(text: str, limit: int = 64) -> str:
    """X.509 names hold at most 64 bytes of UTF-8 (a Vietnamese letter takes two or three): a longer body name is
    cut at a word."""
    while len(text.encode()) > limit:
        text = text.rsplit(" ", 1)[0]
    return text


def _name(common: str, organisation: str = "") -> x509.Name:
    common, organisation = _fit(common), _fit(organisation)
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"), x509.NameAttribute(NameOID.COMMON_NAME, common)]
    if organisation:
        parts.insert(1, x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    return x509.Name(parts)


def make_ca(common: str = CA_NAME, *, not_before: datetime.datetime | None = None, days: int = 3650) -> Issued:
    key = ec.generate_private_key(ec.SECP256R1())
    start = not_before or datetime.datetime.now(UTC) - datetime.timedelta(days=1)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common))
        .issuer_name(_name(common))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issued(key, cert)


def issue(
    ca: Issued,
    common: str,
    *,
    organisation: str = "",
    not_before: datetime.datetime | None = None,
    days: int = 3 * 365,
    timestamping: bool = False,
) -> Issued:
    """A signing certificate for a body (non-repudiation and document signing usages), or with `timestamping` one
    for a timestamp authority (an RSA key: pyHanko's test timestamp server signs with RSA only)."""
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if timestamping
        else ec.generate_private_key(ec.SECP256R1())
    )
    usage = ExtendedKeyUsageOID.TIME_STAMPING if timestamping else ExtendedKeyUsageOID.EMAIL_PROTECTION
    start = not_before or datetime.datetime.now(UTC) - datetime.timedelta(days=1)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common, organisation))
        .issuer_name(ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=timestamping)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()),
            critical=False,
        )
        .sign(ca.key, hashes.SHA256())
    )
    return Issued(key, cert)


def crl_of(ca: Issued, *, days: int = 3650) -> bytes:
    """An empty revocation list of the CA (PEM), so that the validation data can be embedded."""
    now = datetime.datetime.now(UTC) - datetime.timedelta(days=1)
    crl = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.cert.subject)
        .last_update(now)
        .next_update(now + datetime.timedelta(days=days))
        .sign(ca.key, hashes.SHA256())
    )
    return crl.public_bytes(serialization.Encoding.PEM)


def write_pkcs12(path: Path, issued: Issued, ca: Issued, *, passphrase: bytes | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    encryption = serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"signer", issued.key, issued.cert, [ca.cert], encryption))
    path.chmod(0o600)


def pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _load_ca(folder: Path) -> Issued | None:
    key_path, cert_path = folder / "demo-ca.key", folder / "demo-ca.pem"
    if not (key_path.is_file() and cert_path.is_file()):
        return None
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return Issued(key, x509.load_pem_x509_certificate(cert_path.read_bytes()))


def seed_signers() -> int:
    """The demo CA (made once) and a PKCS#12 file and `BodySigner` for every org of the demo tree that has none.
    Returns how many signers were created."""
    root = Path(settings.SIGNING_DIR)
    ca_folder, trust = root / "demo-ca", root / "trust"
    ca = _load_ca(ca_folder)
    if ca is None:
        ca = make_ca()
        ca_folder.mkdir(parents=True, exist_ok=True)
        key_path = ca_folder / "demo-ca.key"
        key_path.write_bytes(
            ca.key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        key_path.chmod(0o600)
        (ca_folder / "demo-ca.pem").write_bytes(pem(ca.cert))
    trust.mkdir(parents=True, exist_ok=True)
    (trust / "demo-ca.pem").write_bytes(pem(ca.cert))
    if not (trust / "demo-ca.crl").is_file():
        (trust / "demo-ca.crl").write_bytes(crl_of(ca))
    created = 0
    for org in PartyOrg.objects.filter(valid_to__isnull=True).order_by("path"):
        relative = Path("bodies") / f"{org.code}.p12"
        if not (root / relative).is_file():
            body = formatting.body_name(org)
            write_pkcs12(root / relative, issue(ca, body, organisation="Đảng Cộng sản Việt Nam"), ca)
        _signer, new = BodySigner.objects.get_or_create(
            org=org, defaults={"kind": SignerKind.PKCS12, "pkcs12_file": str(relative)}
        )
        created += new
    return created
