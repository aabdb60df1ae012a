"""The admin: each issuing body's digital signer (which key signs its resolutions and decisions, `signing`)."""

from __future__ import annotations

from django.contrib import admin

from admission.documents.models import BodySigner


@admin.register(BodySigner)
class BodySignerAdmin(admin.ModelAdmin[BodySigner]):
    list_display = ("org", "kind", "pkcs12_file", "pkcs11_token", "active", "updated_at")
    list_filter = ("kind", "active")
    search_fields = ("org__name", "org__code")
    autocomplete_fields = ()
    raw_id_fields = ("org",)
