"""Mounted at /accounts/security/ (config/urls.py)."""

from __future__ import annotations

from django.urls import path

from admission.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.security, name="security"),
    path("authenticator/", views.setup, name="setup"),
    path("verify/", views.verify, name="verify"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("authenticator/remove/", views.remove, name="remove"),
    path("browsers/forget/", views.browsers_forget, name="browsers_forget"),
    path("browsers/<int:pk>/forget/", views.browser_forget, name="browser_forget"),
    path("tokens/", views.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
