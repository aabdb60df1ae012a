"""The person page shows the earlier memberships and the guest periods; the cell's page lists its guests apart,
not counted; outside the units both are a 404."""

from __future__ import annotations

import datetime

from django.utils import translation

from admission.party.models.earlier import EarlierMembership
from admission.party.services.guests import guest_record
from tests.factories import MembershipFactory, PersonFactory

D = datetime.date


def test_the_person_page_shows_the_earlier_membership(world, client):
    member = world.village_cell.memberships.first()
    EarlierMembership.objects.create(
        person=member.person, admitted_on=D(1990, 1, 1), left_on=D(1999, 1, 1), how_left="family_reasons"
    )
    client.force_login(world.secretary)
    with translation.override("en"):
        page = client.get(f"/app/admission/members/person/{member.person_id}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="earlier-memberships"' in body and "01/01/1999" in body
    client.force_login(world.outsider)
    assert client.get(f"/app/admission/members/person/{member.person_id}/").status_code == 404


def test_the_cell_page_lists_its_guests_apart(world, client):
    guard = MembershipFactory(cell=world.other_cell, person=PersonFactory(full_name="Lò Văn Biên"))
    guest_record(
        membership=guard,
        host_cell=world.village_cell,
        starts_on=D(2025, 1, 1),
        reason="Đồn biên phòng",
        by=world.secretary,
    )
    client.force_login(world.secretary)
    body = client.get(f"/app/admission/orgs/{world.village_cell.pk}/").content.decode()
    assert body.count('data-testid="guest-row"') == 1 and "Lò Văn Biên" in body and "Đồn biên phòng" in body
    assert body.count('data-testid="member-row"') == 3
    person_page = client.get(f"/app/admission/members/person/{guard.person_id}/")
    assert person_page.status_code == 404  # a guest's own record stays with their own units
