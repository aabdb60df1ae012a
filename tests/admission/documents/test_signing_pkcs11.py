"""A body whose key lives on a hardware token (PKCS#11) signs the same way: here a SoftHSM token holding the key
and its certificate, the PIN read from the environment variable the signer names."""

from __future__ import annotations

import datetime
import importlib.util
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from admission.documents import render
from admission.documents.models import BodySigner, SignerKind
from admission.documents.signing.issue import sign_rendered
from admission.documents.signing.verify import VALID, verify_pdf
from demo import signing as pki

MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
pytestmark = pytest.mark.skipif(
    not MODULE.exists() or shutil.which("softhsm2-util") is None or importlib.util.find_spec("pkcs11") is None,
    reason="SoftHSM (Debian softhsm2) and python-pkcs11 are needed for the token test",
)
PIN = "246810"
UTC = datetime.UTC


@pytest.fixture
def token(tmp_path, monkeypatch):
    """A fresh SoftHSM token "ketnap" in a temporary folder, its PIN in TEST_TOKEN_PIN."""
    (tmp_path / "tokens").mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    monkeypatch.setenv("TEST_TOKEN_PIN", PIN)
    subprocess.run(
        ["softhsm2-util", "--init-token", "--free", "--label", "ketnap", "--pin", PIN, "--so-pin", "13579"],
        check=True,
        capture_output=True,
        env={**os.environ, "SOFTHSM2_CONF": str(conf)},
    )
    return conf


def put_on_token(conf: Path, issued: pki.Issued, tmp_path: Path) -> None:
    """The key (softhsm2-util) and its certificate (a PKCS#11 certificate object) under the label "signer"."""
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    key_file = tmp_path / "key.pem"
    key_file.write_bytes(
        issued.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    subprocess.run(
        [
            "softhsm2-util",
            "--import",
            str(key_file),
            "--token",
            "ketnap",
            "--label",
            "signer",
            "--id",
            "01",
            "--pin",
            PIN,
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "SOFTHSM2_CONF": str(conf)},
    )
    lib = pkcs11.lib(str(MODULE))
    with lib.get_token(token_label="ketnap").open(user_pin=PIN, rw=True) as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: "signer",
                Attribute.ID: b"\x01",
                Attribute.SUBJECT: issued.cert.subject.public_bytes(),
                Attribute.VALUE: issued.cert.public_bytes(serialization.Encoding.DER),
            }
        )


def test_a_body_signs_with_the_key_on_its_token(decided_case, world, token, settings, tmp_path):
    settings.SIGNING_DIR = tmp_path / "signing"
    ca = pki.make_ca("CA thử nghiệm", not_before=datetime.datetime(2024, 1, 1, tzinfo=UTC))
    (settings.SIGNING_DIR / "trust").mkdir(parents=True)
    (settings.SIGNING_DIR / "trust" / "ca.pem").write_bytes(pki.pem(ca.cert))
    put_on_token(token, pki.issue(ca, "Đảng ủy xã Hoành Mô"), tmp_path)
    BodySigner.objects.create(
        org=world.commune,
        kind=SignerKind.PKCS11,
        pkcs11_module=str(MODULE),
        pkcs11_token="ketnap",
        pkcs11_key="signer",
        secret_env="TEST_TOKEN_PIN",
    )
    signed = sign_rendered(decided_case, render.render_form(decided_case, "9-KNĐ"), required=True)
    assert signed is not None and signed.signed_by == "Đảng ủy xã Hoành Mô"
    report = verify_pdf(signed.pdf)
    assert report.verdict == VALID
