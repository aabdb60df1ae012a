from __future__ import annotations

from django.urls import path

from portal import api

urlpatterns = [
    path("me/cases/", api.MyCasesApi.as_view(), name="api-me-cases"),
    path("lookup/", api.LookupApi.as_view(), name="api-lookup"),
]
