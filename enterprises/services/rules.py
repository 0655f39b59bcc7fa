"""Order rules (docs/requirements.md §6) shared by the pages, the Excel import and the API: dates never in the future nor
before what they follow; a worker enters an on-site team of the right kind."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from jmzhgd.core.codes import TeamType

from ..models import Team


def check_not_future(day: date, label: str) -> None:
    if day > timezone.localdate():
        raise ValidationError(f"{label}不能晚于今天。")


def check_not_before(day: date, earliest: date, label: str, earliest_label: str) -> None:
    if day < earliest:
        raise ValidationError(f"{label}（{day:%Y-%m-%d}）不能早于{earliest_label}（{earliest:%Y-%m-%d}）。")


def check_team_accepts_entry(team: Team, entry_date: date, category: str) -> None:
    """Order rule (docs/requirements.md §6): unit on site → team on site → worker entry, in the right kind of team.

    Raises ValidationError naming the problem; used by the wizard, the Excel import and the API.
    """
    from jmzhgd.core.codes import TEAM_TYPE_FOR_CATEGORY, PersonCategory

    check_not_future(entry_date, "进场日期")
    if not team.unit.is_on_site:
        raise ValidationError(f"参建单位“{team.unit.enterprise.name}”已退场，不能进场人员。")
    if not team.is_on_site:
        raise ValidationError(f"班组“{team.name}”已退场，不能进场人员。")
    expected = TEAM_TYPE_FOR_CATEGORY[PersonCategory(category)]
    if team.team_type != expected:
        raise ValidationError(
            f"{PersonCategory(category).label}只能进入{TeamType(expected).label}，“{team.name}”是{team.get_team_type_display()}。"
        )
    check_not_before(entry_date, team.entry_date, "进场日期", f"班组“{team.name}”的进场日期")
