"""Digital signatures (PAdES) on the documents a body issues: signed for the body when issued, with a visible block
in the signer's space, found valid by poppler's pdfsig, verified by the verification page's checks (valid, altered,
expired, untrusted), timestamped when a TSA is configured, and embedded unaltered in the complete dossier."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess

import pytest
import time_machine
from django.core.management import CommandError, call_command
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pypdf import PdfReader

from admission.documents import dossier, render
from admission.documents.models import BodySigner, DocumentStatus, GeneratedDocument, SignerKind, form_slug
from admission.documents.services import document_request
from admission.documents.signing import sign as signing
from admission.documents.signing.issue import sign_rendered
from admission.documents.signing.verify import ALTERED, EXPIRED, UNTRUSTED, VALID, verify_pdf
from demo import signing as pki
from tests.admission.documents.helpers import text

UTC = datetime.UTC


@pytest.fixture
def trusted_ca(settings, tmp_path):
    """A test CA whose certificate (and empty revocation list) the verification trusts, in a fresh SIGNING_DIR."""
    settings.SIGNING_DIR = tmp_path / "signing"
    ca = pki.make_ca("CA thử nghiệm", not_before=datetime.datetime(2024, 1, 1, tzinfo=UTC))
    trust = settings.SIGNING_DIR / "trust"
    trust.mkdir(parents=True)
    (trust / "test-ca.pem").write_bytes(pki.pem(ca.cert))
    (trust / "test-ca.crl").write_bytes(pki.crl_of(ca))
    return ca


def give_signer(settings, org, ca, *, passphrase=None, **validity):
    """A PKCS#12 file for the body under SIGNING_DIR and its BodySigner (the passphrase read from the environment)."""
    relative = f"bodies/{org.pk}.p12"
    pki.write_pkcs12(settings.SIGNING_DIR / relative, pki.issue(ca, org.name, **validity), ca, passphrase=passphrase)
    return BodySigner.objects.create(
        org=org, kind=SignerKind.PKCS12, pkcs12_file=relative, secret_env="TEST_SIGNER_PASS" if passphrase else ""
    )


@pytest.fixture
def signers(settings, world, trusted_ca):
    """The cell (6-KNĐ), the school's committee (8-KNĐ) and the commune (9-KNĐ) each sign with a trusted
    certificate."""
    return {org.pk: give_signer(settings, org, trusted_ca) for org in (world.cell, world.agency, world.commune)}


def signed_decision(case):
    rendered = render.render_form(case, "9-KNĐ")
    signed = sign_rendered(case, rendered, required=True)
    assert signed is not None
    return rendered, signed


def test_the_decision_is_signed_for_the_commune_with_a_visible_block_in_the_signers_space(decided_case, signers):
    rendered, signed = signed_decision(decided_case)
    assert signed.signed_by == "Đảng bộ xã Hoành Mô"
    assert signed.level == "B-B+LTV"  # no TSA configured; the chain leads to a trusted root: validation data embedded
    reader = PdfFileReader(io.BytesIO(signed.pdf))
    (signature,) = reader.embedded_signatures
    annotation = signature.sig_field["/Kids"][0] if "/Kids" in signature.sig_field else signature.sig_field
    x1, y1, x2, y2 = (float(v) for v in annotation["/Rect"])
    box = signing.signature_box(rendered.signer_space)
    assert box is not None and (x1, y1, x2, y2) == pytest.approx(box.rect, abs=0.5)
    assert 150 < x2 - x1 <= 205 and 40 < y2 - y1 < 75  # inside the signer's space of the right-hand column
    assert str(signature.sig_object["/Reason"]).startswith("Quyết định kết nạp đảng viên (9-KNĐ), Số 12-QĐ/ĐU")
    # The form's own text is unchanged: the signature is added in an incremental update.
    assert text(signed.pdf) == text(rendered.pdf)
    assert signed.pdf.startswith(rendered.pdf)


def test_a_signed_decision_verifies_valid_and_says_who_signed_when_and_for_which_body(decided_case, signers):
    _rendered, signed = signed_decision(decided_case)
    report = verify_pdf(signed.pdf)
    assert report.verdict == VALID
    (check,) = report.signatures
    assert (check.signer, check.organisation, check.issuer) == ("Đảng bộ xã Hoành Mô", "", "CA thử nghiệm")
    assert check.intact and check.trusted and check.later_changes == "none"
    assert check.signed_at == signed.signed_at
    assert check.location == "Hoành Mô"


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils (pdfsig) is not installed")
def test_poppler_finds_a_9_knd_signed_by_render_form_valid(decided_case, signers, tmp_path):
    out = tmp_path / "9-knd.pdf"
    call_command("render_form", decided_case.code, "9-KNĐ", "--sign", "--out", str(out), stdout=io.StringIO())
    result = subprocess.run(["pdfsig", str(out)], capture_output=True, text=True, check=False)
    assert "Signature Validation: Signature is Valid." in result.stdout, result.stdout
    assert "Signer Certificate Common Name: Đảng bộ xã Hoành Mô" in result.stdout


def test_render_form_refuses_to_sign_for_a_body_without_a_signer(decided_case, trusted_ca, tmp_path):
    with pytest.raises(CommandError, match="no digital signer"):
        call_command("render_form", decided_case.code, "9-KNĐ", "--sign", "--out", str(tmp_path / "x.pdf"))


def test_a_passphrase_comes_from_the_environment_named_by_the_signer(decided_case, world, trusted_ca, settings):
    give_signer(settings, world.commune, trusted_ca, passphrase=b"mat-khau-ky")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TEST_SIGNER_PASS", "mat-khau-ky")
        _rendered, signed = signed_decision(decided_case)
    assert verify_pdf(signed.pdf).verdict == VALID


def test_a_copy_changed_after_signing_is_reported_altered(decided_case, signers):
    _rendered, signed = signed_decision(decided_case)
    # A byte of the signed page content changed in place.
    tampered = bytearray(signed.pdf)
    at = signed.pdf.index(b"stream") + 300
    tampered[at] ^= 0x01
    assert verify_pdf(bytes(tampered)).verdict == ALTERED
    # Text added to the page in an incremental update after the signature.
    writer = IncrementalPdfFileWriter(io.BytesIO(signed.pdf))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    extra = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 14 Tf 100 100 Td (Sua doi) Tj ET"))
    contents = page.raw_get("/Contents")
    page["/Contents"] = generic.ArrayObject([*(contents if isinstance(contents, list) else [contents]), extra])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    report = verify_pdf(out.getvalue())
    assert report.verdict == ALTERED
    assert report.signatures[0].intact and report.signatures[0].later_changes == "content"


def test_a_certificate_from_an_untrusted_ca_is_reported_untrusted(decided_case, world, trusted_ca, settings):
    stranger = pki.make_ca("CA không quen", not_before=datetime.datetime(2024, 1, 1, tzinfo=UTC))
    give_signer(settings, world.commune, stranger)
    _rendered, signed = signed_decision(decided_case)
    assert signed.level == "B-B"  # no validation data: the chain does not lead to a configured root
    report = verify_pdf(signed.pdf)
    assert report.verdict == UNTRUSTED
    assert report.signatures[0].intact and not report.signatures[0].trusted


def test_a_signature_by_a_certificate_that_has_since_expired_is_reported_expired(
    decided_case, world, trusted_ca, settings
):
    give_signer(
        settings,
        world.commune,
        trusted_ca,
        not_before=datetime.datetime(2025, 1, 1, tzinfo=UTC),
        days=200,  # until 20/07/2025
    )
    with time_machine.travel(datetime.datetime(2025, 5, 4, 9, 0, tzinfo=UTC), tick=False):
        rendered = render.render_form(decided_case, "9-KNĐ", check_state=False)
        signed = sign_rendered(decided_case, rendered, required=True)
    assert signed is not None
    report = verify_pdf(signed.pdf)  # today is 15/06/2026
    assert report.verdict == EXPIRED
    assert report.signatures[0].intact and report.signatures[0].expired


def test_with_a_timestamp_server_the_signature_carries_its_time_and_reaches_b_lta(
    decided_case, signers, trusted_ca, monkeypatch
):
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    tsa = pki.issue(trusted_ca, "Máy chủ cấp dấu thời gian thử nghiệm", timestamping=True)
    from asn1crypto import keys, x509
    from cryptography.hazmat.primitives import serialization

    stamper = DummyTimeStamper(
        tsa_cert=x509.Certificate.load(tsa.cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=keys.PrivateKeyInfo.load(
            tsa.key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        ),
        certs_to_embed=[x509.Certificate.load(trusted_ca.cert.public_bytes(serialization.Encoding.DER))],
    )
    monkeypatch.setattr(signing, "timestamper", lambda: stamper)
    _rendered, signed = signed_decision(decided_case)
    assert signed.level == "B-LTA"
    check = verify_pdf(signed.pdf).signatures[0]
    assert check.timestamp_at is not None


def test_an_issued_decision_is_generated_signed_and_the_dossier_embeds_the_signed_originals(
    decided_case, signers, django_capture_on_commit_callbacks
):
    for code in ("6-KNĐ", "8-KNĐ", "9-KNĐ"):
        with django_capture_on_commit_callbacks(execute=True):
            document = document_request(candidate=decided_case, form_code=code, by=None)
        document.refresh_from_db()
        assert document.status == DocumentStatus.DONE and document.signed_at is not None, code
        assert document.signature_level == "B-B+LTV"
    parts = {p.code: p for p in dossier.plan(decided_case)}
    assert {code for code, p in parts.items() if p.signed_original} == {"6-KNĐ", "8-KNĐ", "9-KNĐ"}
    assert parts["9-KNĐ"].status == dossier.STATUS_SIGNED
    pdf, _pages, _key = dossier.render_dossier(decided_case)
    attached = PdfReader(io.BytesIO(pdf)).attachments
    assert len(attached) == 3
    for code in ("6-KNĐ", "8-KNĐ", "9-KNĐ"):
        stored = GeneratedDocument.objects.get(candidate=decided_case, form_code=code)
        name = f"{decided_case.code}-{form_slug(code)}-ky-so.pdf"  # as its download is named, marked "ký số"
        with stored.file.open("rb") as handle:
            assert attached[name] == [handle.read()]  # byte for byte: the signature stays valid inside the dossier
    report = verify_pdf(pdf)
    assert report.verdict == VALID and report.signatures == []
    assert [a.report.verdict for a in report.attachments] == [VALID, VALID, VALID]


def test_a_copy_made_before_the_body_had_a_signer_is_made_again_signed(
    decided_case, world, trusted_ca, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        unsigned = document_request(candidate=decided_case, form_code="9-KNĐ", by=None)
    unsigned.refresh_from_db()
    assert unsigned.status == DocumentStatus.DONE and unsigned.signed_at is None
    give_signer(settings, world.commune, trusted_ca)
    with django_capture_on_commit_callbacks(execute=True):
        again = document_request(candidate=decided_case, form_code="9-KNĐ", by=None)
    again.refresh_from_db()
    assert again.pk != unsigned.pk and again.signed_at is not None


def test_the_decision_is_signed_when_its_step_is_done(
    world, people, case_in_dossier, signers, django_capture_on_commit_callbacks
):
    from admission.decisions.services.decisions import case_propose, chain_step_complete, next_step
    from admission.decisions.services.meetings import cell_meeting_record, vote_record
    from admission.party.models.people import Membership

    secretary, partial_officer = people
    members = list(Membership.objects.filter(cell=world.cell))
    with django_capture_on_commit_callbacks(execute=True):
        meeting = cell_meeting_record(
            cell=world.cell,
            held_on=datetime.date(2026, 4, 6),
            purpose="admission",
            present={m.pk for m in members},
            absence_reasons={},
            by=secretary,
        )
        vote = vote_record(meeting=meeting, candidate=case_in_dossier, votes_for=6, votes_against=0, by=secretary)
        case_propose(candidate=case_in_dossier, vote=vote, by=secretary)
    issued = GeneratedDocument.objects.get(candidate=case_in_dossier, form_code="6-KNĐ")
    assert issued.signed_at is not None and issued.signed_for_id == world.cell.pk
    with django_capture_on_commit_callbacks(execute=True):
        chain_step_complete(step=next_step(case_in_dossier), by=partial_officer, on=datetime.date(2026, 4, 10))
    # 7-KNĐ (an appraisal report of the partial committee) is not a document the system signs.
    assert not GeneratedDocument.objects.filter(candidate=case_in_dossier, form_code="7-KNĐ").exists()


def test_an_upload_is_checked_within_its_limits_and_the_rest_reported_not_checked(decided_case, signers, settings):
    """An anonymous upload cannot make the page validate without end: at most SIGNING_VERIFY_MAX_SIGNATURES
    signatures (over the document and its attachments) and SIGNING_VERIFY_MAX_ATTACHMENTS attached PDFs; what is
    left is said, and a partly checked document is never reported valid."""
    from django.utils import translation
    from pypdf import PdfWriter

    _rendered, signed = signed_decision(decided_case)
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    for n in range(3):
        writer.add_attachment(f"original-{n}.pdf", signed.pdf)
    out = io.BytesIO()
    writer.write(out)
    bundle = out.getvalue()

    full = verify_pdf(bundle)
    assert [a.report.verdict for a in full.attachments] == [VALID, VALID, VALID]
    assert full.verdict == VALID and full.not_checked == [] and not full.incomplete

    settings.SIGNING_VERIFY_MAX_ATTACHMENTS = 2
    settings.SIGNING_VERIFY_MAX_SIGNATURES = 1
    report = verify_pdf(bundle)
    assert [a.name for a in report.attachments] == ["original-0.pdf", "original-1.pdf"]
    assert len(report.attachments[0].report.signatures) == 1
    assert report.attachments[1].report.signatures == [] and report.attachments[1].report.unchecked_signatures == 1
    assert report.unchecked_attachments == 1
    assert report.verdict == UNTRUSTED  # what was not checked cannot be vouched for
    with translation.override("en"):
        assert report.not_checked == [
            "1 more signature was not checked: at most 1 are checked in one upload.",
            "1 more attached PDF was not checked: at most 2 are checked.",
        ]

    settings.SIGNING_VERIFY_MAX_SIGNATURES = 0
    alone = verify_pdf(signed.pdf)
    assert alone.signatures == [] and alone.unchecked_signatures == 1
    assert alone.verdict == UNTRUSTED  # signed, not checked: neither "valid" nor "unsigned"
