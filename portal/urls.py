"""The portal's pages: mounted at the site root by config/urls.py (/tra-cuu/ and the verification page under it
are public in config/middleware.py)."""

from __future__ import annotations

from django.urls import path

from portal import verify, views

app_name = "portal"

urlpatterns = [
    path("ho-so-cua-toi/", views.my_cases, name="my_cases"),
    path("ho-so-cua-toi/<int:pk>/", views.my_case, name="my_case"),
    path("ho-so-cua-toi/<int:pk>/tai-lieu/<int:doc_pk>/", views.my_document, name="my_document"),
    path("ho-so-cua-toi/<int:pk>/tai-lieu/chuan-bi/", views.my_document_prepare, name="my_document_prepare"),
    path("tra-cuu/", views.lookup_page, name="lookup"),
    path("tra-cuu/xac-minh/", verify.verify_page, name="verify"),
    path("ma-tra-cuu/<int:pk>/", views.pin_page, name="pin"),
]
