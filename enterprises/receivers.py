"""What the enterprises floor does when a floor below it calls (README "Floors")."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from jmzhgd.core.codes import CorpType

from .models import Enterprise
from .services import enter_unit, find_or_register_enterprise


def _enterprise_in_library(actor, credit_code: str, name: str) -> Enterprise:
    """The library's enterprise for a code, registered if absent; safe when two approvals race."""
    try:
        with transaction.atomic():
            enterprise, _ = find_or_register_enterprise(actor, credit_code, name)
    except IntegrityError:
        # Another transaction registered the same code between our look-up and insert.
        enterprise = Enterprise.objects.get(credit_code=credit_code)
    return enterprise


def enter_builder_and_contractor(sender, actor, project, entry_date, **kwargs) -> None:
    """projects' `project_established`: the builder and the general contractor enter as units
    (each with its 管理人员班组), registered in the enterprise library when absent (docs/requirements.md §3.3, §6.2)."""
    for code, name, corp_type in (
        (project.builder_code, project.builder_name, CorpType.BUILDER),
        (project.contractor_code, project.contractor_name, CorpType.GENERAL_CONTRACTOR),
    ):
        enterprise = _enterprise_in_library(actor, code, name)
        # The supervisor approving the declaration stands for the confirmation of a list warning,
        # which stays in the unit's audit row; under BLACKLIST_AT_ENTRY=require the approval is refused.
        enter_unit(actor, project, enterprise, corp_type, entry_date, confirm_warnings=True)
