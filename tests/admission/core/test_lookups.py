"""The lookups the reports read with: `__anyof` (a list of ids, or an `IdList`) and `__hasorg` (an org path names
the org) find the same rows as the plain lookups they stand for, on SQLite and on PostgreSQL."""

from __future__ import annotations

from admission.core.lookups import IdList
from admission.party.models.orgs import PartyOrg


def test_hasorg_finds_the_paths_that_name_the_org_as_a_whole_id(world):
    orgs = list(PartyOrg.objects.all())
    assert len(orgs) > 5
    for org in orgs:
        found = set(PartyOrg.objects.filter(path__hasorg=org.pk).values_list("pk", flat=True))
        assert found == {o.pk for o in orgs if f"/{org.pk}/" in o.path}
        assert org.pk in found
    missing = max(o.pk for o in orgs) * 10 + 1  # its digits begin other ids, yet it is none of them
    assert not PartyOrg.objects.filter(path__hasorg=missing).exists()


def test_anyof_takes_a_list_or_an_id_list_and_an_empty_one_finds_nothing(world):
    wanted = [world.cell.pk, world.village_cell.pk, world.cell.pk]
    for ids in (wanted, IdList(wanted)):
        assert set(PartyOrg.objects.filter(pk__anyof=ids).values_list("pk", flat=True)) == set(wanted)
    assert not PartyOrg.objects.filter(pk__anyof=IdList([])).exists()
    assert IdList(wanted) == IdList(reversed(wanted)) and len(IdList(wanted)) == 2
