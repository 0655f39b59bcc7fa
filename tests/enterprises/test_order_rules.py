from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from enterprises.services import check_team_accepts_entry, enter_unit
from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import CorpType, PersonCategory, TeamType
from tests.factories import EnterpriseFactory, RosterEntryFactory, TeamFactory, UnitFactory
from workforce.services import exit_roster_entries


@pytest.mark.django_db
def test_entering_a_unit_creates_its_management_team_named_after_its_type(project):
    unit = enter_unit(Actor.system(), project, EnterpriseFactory(), CorpType.SUPERVISION, date(2026, 3, 1))
    team = unit.teams.get()
    assert team.team_type == TeamType.MANAGEMENT and team.name == "监理项目部"


@pytest.mark.django_db
def test_a_unit_cannot_enter_in_the_future_or_twice(project):
    enterprise = EnterpriseFactory()
    with pytest.raises(ValidationError, match="不能晚于今天"):
        enter_unit(
            Actor.system(), project, enterprise, CorpType.LABOUR_SUB, timezone.localdate() + timedelta(days=1)
        )
    enter_unit(Actor.system(), project, enterprise, CorpType.LABOUR_SUB, date(2026, 3, 1))
    with pytest.raises(ValidationError, match="已作为劳务分包在场"):
        enter_unit(Actor.system(), project, enterprise, CorpType.LABOUR_SUB, date(2026, 3, 2))


@pytest.mark.django_db
def test_worker_entry_needs_the_unit_and_team_on_site_and_the_right_team_type():
    team = TeamFactory(entry_date=date(2026, 3, 2))
    check_team_accepts_entry(team, date(2026, 3, 2), PersonCategory.WORKER)
    with pytest.raises(ValidationError, match="管理人员只能进入管理人员班组"):
        check_team_accepts_entry(team, date(2026, 3, 2), PersonCategory.MANAGER)
    with pytest.raises(ValidationError, match="不能早于"):
        check_team_accepts_entry(team, date(2026, 3, 1), PersonCategory.WORKER)
    team.exit_date = date(2026, 4, 1)
    team.save()
    with pytest.raises(ValidationError, match="已退场"):
        check_team_accepts_entry(team, date(2026, 3, 5), PersonCategory.WORKER)
    unit = UnitFactory(exit_date=date(2026, 4, 1))
    with pytest.raises(ValidationError, match="参建单位"):
        check_team_accepts_entry(TeamFactory(unit=unit), date(2026, 3, 5), PersonCategory.WORKER)


@pytest.mark.django_db
def test_roster_exit_is_all_or_none_and_names_the_person():
    early = RosterEntryFactory(entry_date=date(2026, 3, 3))
    late = RosterEntryFactory(team=early.team, entry_date=date(2026, 5, 1))
    entries = early.project.roster.all()
    with pytest.raises(ValidationError, match=late.person.name):
        exit_roster_entries(Actor.system(), entries, date(2026, 4, 1))
    assert entries.filter(exit_date__isnull=True).count() == 2
    assert exit_roster_entries(Actor.system(), entries, date(2026, 5, 2)) == 2
    assert entries.filter(exit_date=date(2026, 5, 2)).count() == 2
