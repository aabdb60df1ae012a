"""The public verification page (/tra-cuu/xac-minh/): anyone uploads a PDF and learns whether its signature is valid,
whether it was altered since, whether the certificate is trusted; bounded like the lookup (size, rate)."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from admission.documents.models import BodySigner
from admission.documents.render import html_to_pdf
from admission.documents.signing.sign import SignatureBox, sign_pdf
from demo import signing as pki
from portal import lookup

pytestmark = pytest.mark.django_db

URL = "/tra-cuu/xac-minh/"
UTC = datetime.UTC
HTML = "<html><body><p>NGHỊ QUYẾT đề nghị kết nạp đảng viên</p><p>T/M CHI BỘ</p></body></html>"


@pytest.fixture
def ca(settings: Any, tmp_path: Any) -> pki.Issued:
    settings.SIGNING_DIR = tmp_path
    authority = pki.make_ca("CA thử nghiệm", not_before=datetime.datetime(2024, 1, 1, tzinfo=UTC))
    (tmp_path / "trust").mkdir()
    (tmp_path / "trust" / "ca.pem").write_bytes(pki.pem(authority.cert))
    return authority


def signed_by(world: Any, settings: Any, authority: pki.Issued) -> bytes:
    pki.write_pkcs12(settings.SIGNING_DIR / "cell.p12", pki.issue(authority, "Chi bộ thôn Nà Sa"), authority)
    config = BodySigner.objects.create(org=world.village_cell, pkcs12_file="cell.p12")
    return sign_pdf(
        html_to_pdf(HTML),
        config=config,
        body="Chi bộ thôn Nà Sa",
        reason="Nghị quyết đề nghị kết nạp đảng viên (6-KNĐ), Số 03-NQ/CB",
        location="Hoành Mô",
        box=SignatureBox(0, (330, 500, 530, 565)),
    ).pdf


def upload(client: Any, data: bytes, *, name: str = "6-knd.pdf", ip: str = "198.51.100.4") -> Any:
    return client.post(URL, {"tep": SimpleUploadedFile(name, data, "application/pdf")}, REMOTE_ADDR=ip)


def verdict(response: Any) -> str:
    found = re.search(r'data-verdict="(\w+)"', response.content.decode())
    return found.group(1) if found else ""


def test_anyone_can_open_the_page_and_the_lookup_links_to_it(client: Any) -> None:
    page = client.get(URL)
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.content.decode()
    assert f'href="{URL}"' in client.get("/tra-cuu/").content.decode()


def test_a_valid_signature_says_who_signed_when_and_that_it_is_trusted(
    client: Any, world: Any, ca: pki.Issued, settings: Any
) -> None:
    response = upload(client, signed_by(world, settings, ca), name="nghi-quyet.pdf")
    assert response.status_code == 200
    html = response.content.decode()
    assert verdict(response) == "valid"
    assert "Chi bộ thôn Nà Sa" in html and "CA thử nghiệm" in html and "Số 03-NQ/CB" in html
    assert "nghi-quyet.pdf" in html
    assert re.search(r'data-testid="verify-when">\d\d/\d\d/\d{4} \d\d:\d\d:\d\d — Hoành Mô', html)


def test_an_altered_copy_and_an_untrusted_signer_are_told_apart_from_a_valid_one(
    client: Any, world: Any, ca: pki.Issued, settings: Any
) -> None:
    pdf = signed_by(world, settings, ca)
    tampered = bytearray(pdf)
    tampered[pdf.index(b"stream") + 120] ^= 0x01
    assert verdict(upload(client, bytes(tampered))) == "altered"
    (settings.SIGNING_DIR / "trust" / "ca.pem").unlink()  # the same file, judged by a system that trusts no one
    assert verdict(upload(client, pdf)) == "untrusted"


def test_an_unsigned_pdf_and_a_file_that_is_no_pdf(client: Any) -> None:
    assert verdict(upload(client, html_to_pdf(HTML))) == "unsigned"
    refused = upload(client, b"GIF89a not a pdf", name="anh.gif")
    assert refused.status_code == 422 and 'data-testid="verify-error"' in refused.content.decode()
    broken = upload(client, b"%PDF-1.7 truncated")
    assert broken.status_code == 200 and verdict(broken) == "unreadable"


def test_an_upload_over_the_size_limit_is_refused_before_it_is_read(client: Any, settings: Any) -> None:
    settings.SIGNING_VERIFY_MAX_BYTES = 1024
    big = upload(client, b"%PDF-1.7\n" + b"0" * 200_000)
    assert big.status_code == 413 and 'data-testid="verify-too-large"' in big.content.decode()
    just_over = upload(client, b"%PDF-1.7\n" + b"0" * 2_000)  # under the announced margin, over the limit
    assert just_over.status_code == 422


def test_checks_are_limited_per_connection_and_counted_without_the_address(client: Any) -> None:
    pdf = html_to_pdf(HTML)
    for _ in range(lookup.LIMIT_PER_CLIENT):
        assert upload(client, pdf, ip="192.0.2.9").status_code == 200
    blocked = upload(client, pdf, ip="192.0.2.9")
    assert blocked.status_code == 429 and 'data-testid="verify-blocked"' in blocked.content.decode()
    assert upload(client, pdf, ip="192.0.2.10").status_code == 200  # another connection is not held back
    from portal.models import LookupAttempt

    assert not LookupAttempt.objects.filter(key__contains="192.0.2").exists()


def test_the_page_answers_only_get_head_and_post(client: Any) -> None:
    assert client.put(URL).status_code == 405


def test_what_was_left_unchecked_is_said_on_the_page(client: Any, world: Any, settings: Any, ca: pki.Issued) -> None:
    data = signed_by(world, settings, ca)
    settings.SIGNING_VERIFY_MAX_SIGNATURES = 0
    response = upload(client, data, ip="198.51.100.77")
    assert verdict(response) == "untrusted"  # never "valid" for what was not checked
    assert response.content.decode().count('data-testid="verify-not-checked"') == 1
