"""Generated files and document numbers.

A `GeneratedDocument` is kept forever: it records which template version and which rule set produced it, the hash
of the data it was made from (so a change of data is seen and the document redone) and the checksum of the file.
`DocumentNumber` hands out "Số …" per issuing body, document type and period (the committee's term, or the year
while terms are not recorded), once per case and form: regenerating a form keeps its number.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from admission.party.models.orgs import PartyOrg
from admission.sourcing.models.candidates import Candidate

# The form code under which the complete dossier is recorded.
DOSSIER_CODE = "HS"


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being generated")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


def generated_upload_to(instance: GeneratedDocument, filename: str) -> str:
    return f"generated/{instance.candidate_id}/{filename}"


class GeneratedDocument(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="generated_documents")
    form_code = models.CharField(_("form"), max_length=20)
    template_version = models.CharField(_("template version"), max_length=20)
    rule_set_version = models.CharField(_("rule set"), max_length=60)
    input_hash = models.CharField(_("hash of the input data"), max_length=64)
    checksum = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True)
    file = models.FileField(_("file"), upload_to=generated_upload_to, max_length=255, blank=True)
    pages = models.PositiveSmallIntegerField(_("pages"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The job's last sign of life (generation.is_dead): when it was queued, claimed by a worker, and then every
    # DOCUMENTS_HEARTBEAT_SECONDS while that worker renders it.
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    # A digitally signed copy (6-, 8-, 9-, 13-, 15-, 16-KNĐ issued by a body with a signer): who signed, for which
    # body, when, and the PAdES level reached (B-B; B-T with a timestamp; B-LT with the validation data embedded).
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = models.CharField(_("signed by (certificate)"), max_length=255, blank=True)
    signed_for = models.ForeignKey(
        PartyOrg, verbose_name=_("signed for"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signature_level = models.CharField(_("signature level"), max_length=10, blank=True)
    # Laid out with tighter spacing, which kept its closing block on the page before (render.render_form): the
    # complete dossier lays the same form out the same way.
    compact = models.BooleanField(_("compact layout"), default=False)

    class Meta:
        ordering = ["candidate", "form_code", "-created_at", "-pk"]
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        indexes = [models.Index(fields=["candidate", "form_code", "status"])]

    def __str__(self) -> str:
        return f"{self.form_code} {self.candidate.code} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (DocumentStatus.DONE, DocumentStatus.FAILED)

    @property
    def download_name(self) -> str:
        """The file's name when downloaded (and as an attachment of the complete dossier): case code and form."""
        title = "ho-so" if self.form_code == DOSSIER_CODE else form_slug(self.form_code)
        return f"{self.candidate.code}-{title}.pdf"


def form_slug(code: str) -> str:
    """A form's code in file names: "9-KNĐ" → "9-knd"."""
    return code.replace("Đ", "D").replace("đ", "d").lower()


class DocumentDownload(models.Model):
    """Who downloaded which generated file, and when."""

    document = models.ForeignKey(GeneratedDocument, on_delete=models.CASCADE, related_name="downloads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    via = models.CharField(_("via"), max_length=10, default="web")

    class Meta:
        ordering = ["-at"]
        verbose_name = _("download")
        verbose_name_plural = _("downloads")

    def __str__(self) -> str:
        return f"{self.document} — {self.user} {self.at:%d/%m/%Y %H:%M}"


class NumberSequence(models.Model):
    """The last number given for one document type by one issuing body in one period (HD 36-HD/VPTW: numbers run
    from 01 per type within a committee term). Incremented under a row lock."""

    org = models.ForeignKey(PartyOrg, on_delete=models.PROTECT, related_name="+")
    doc_type = models.CharField(_("document type"), max_length=10)  # NQ, QĐ, BC, CN
    period = models.CharField(_("term or year"), max_length=20)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")
        constraints = [
            models.UniqueConstraint(fields=["org", "doc_type", "period"], name="one_sequence_per_org_type_period")
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.doc_type} {self.period}: {self.last_number}"


class DocumentNumber(models.Model):
    """The number given to one form of one case: asked again, the same number comes back."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="+")
    form_code = models.CharField(_("form"), max_length=20)
    sequence = models.ForeignKey(NumberSequence, on_delete=models.PROTECT, related_name="numbers")
    number = models.PositiveIntegerField(_("number"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document number")
        verbose_name_plural = _("document numbers")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "form_code"], name="one_number_per_case_form"),
            models.UniqueConstraint(fields=["sequence", "number"], name="number_unique_in_sequence"),
        ]

    def __str__(self) -> str:
        return f"{self.form_code} {self.number}"


class SignerKind(models.TextChoices):
    PKCS12 = "pkcs12", _("Key and certificate file (PKCS#12)")
    PKCS11 = "pkcs11", _("Hardware token (PKCS#11)")


class BodySigner(models.Model):
    """The credentials with which an issuing body signs its resolutions and decisions: a PKCS#12 file under
    SIGNING_DIR, or a key on a token reached through a PKCS#11 module. The passphrase or PIN is never stored here:
    the row names the environment variable or the file (outside git) that holds it."""

    org = models.OneToOneField(
        PartyOrg, verbose_name=_("issuing body"), on_delete=models.PROTECT, related_name="signer"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SignerKind.choices, default=SignerKind.PKCS12)
    pkcs12_file = models.CharField(
        _("PKCS#12 file"), max_length=500, blank=True, help_text=_("Absolute, or relative to SIGNING_DIR.")
    )
    pkcs11_module = models.CharField(_("PKCS#11 module (.so)"), max_length=500, blank=True)
    pkcs11_token = models.CharField(_("token label"), max_length=100, blank=True)
    pkcs11_key = models.CharField(_("key label"), max_length=100, blank=True)
    pkcs11_cert = models.CharField(
        _("certificate label"), max_length=100, blank=True, help_text=_("Empty: the same as the key label.")
    )
    secret_env = models.CharField(_("environment variable holding the passphrase or PIN"), max_length=100, blank=True)
    secret_file = models.CharField(_("file holding the passphrase or PIN"), max_length=500, blank=True)
    active = models.BooleanField(_("signs issued documents"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("body's signer")
        verbose_name_plural = _("bodies' signers")

    def __str__(self) -> str:
        return f"{self.org} ({self.get_kind_display()})"
