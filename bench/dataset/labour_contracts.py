"""Stage four: labour contracts."""

from __future__ import annotations

import datetime

from jmzhgd.core.codes import (
    ContractPeriodType,
    ContractType,
)

from .plan import Build


def build_contracts(b: Build) -> None:
    """Contracts for a share of the stays on site."""
    from contracts.models import Contract

    scale, rng, writer, on_site_entries = b.scale, b.rng, b.writer, b.on_site_entries
    step = b.step
    # Contracts for a share of the stays on site.
    contract_base = writer.next_id(Contract)
    contracts = []
    for entry in on_site_entries:
        if rng.random() < scale.contract_share:
            contracts.append(
                {
                    "id": contract_base + len(contracts),
                    "project_id": entry["project_id"],
                    "roster_entry_id": entry["id"],
                    "person_id": entry["person_id"],
                    "unit_id": entry["unit_id"],
                    "contract_type": ContractType.LABOUR_CONTRACT,
                    "period_type": ContractPeriodType.FIXED,
                    "start_date": entry["entry_date"],
                    "end_date": entry["entry_date"] + datetime.timedelta(days=365),
                }
            )
    step("contracts", lambda: writer.write(Contract, contracts))
    b.contracts = contracts
