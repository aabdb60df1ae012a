"""A login with no role (a candidate) has no statistics at all: the report form once fell back to the province and
showed its figures, per-unit table included, in the pages, the XLSX and the PDF. A superuser still opens on the
root of the tree."""

from __future__ import annotations

from django.urls import reverse

from admission.party.models.orgs import PartyOrg
from tests.factories import UserFactory

URLS = [reverse(f"admission:reports:{name}") for name in ("index", "forms", "xlsx", "pdf")]
Q1 = {"period": "q1", "year": "2025"}


def test_a_login_with_no_role_gets_404_on_every_report_page_and_file(client, province):
    client.force_login(province.world.candidate_user)
    for url in URLS:
        assert client.get(url, Q1).status_code == 404
        assert client.get(url, {**Q1, "org": province.world.province.pk}).status_code == 404


def test_a_superuser_without_a_role_opens_on_the_root_of_the_tree(client, province):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    response = client.get(URLS[0], Q1)
    assert response.status_code == 200
    assert response.context["org"] == PartyOrg.objects.filter(parent__isnull=True, valid_to__isnull=True).first()
