"""The record types sent to the province, in the standard's order (lowest rank first).

Extension point: a record type is a Mapper subclass in a module of its own, listed here. Payroll.Add
(工资单, docs/domain.md §2.2) is the last: its rows require their team and their worker
("ProjectWorker.Add", <roster entry>), since the province refuses wages of a worker it does not know.
"""

from __future__ import annotations

from .attendance import AttendanceMapper
from .base import Context, Mapper, MappingError
from .contracts import ContractMapper
from .organisations import CorpMapper, ProjectMapper, SubContractorMapper
from .payroll import PayrollMapper
from .teams import TeamMapper
from .training import CertificationMapper, TrainingMapper
from .workers import EntryExitMapper, WorkerMapper

MAPPERS: list[Mapper] = sorted(
    [
        CorpMapper(),
        ProjectMapper(),
        SubContractorMapper(),
        TeamMapper(),
        WorkerMapper(),
        CertificationMapper(),
        EntryExitMapper(),
        AttendanceMapper(),
        ContractMapper(),
        TrainingMapper(),
        PayrollMapper(),
    ],
    key=lambda m: m.rank,
)
BY_METHOD: dict[str, Mapper] = {m.method: m for m in MAPPERS}

__all__ = ["BY_METHOD", "MAPPERS", "Context", "Mapper", "MappingError"]
