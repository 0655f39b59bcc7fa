from __future__ import annotations

import pytest


@pytest.fixture
def code_tables(db):
    """工种 and 岗位 as the data migration seeds them (the dataset and the import scenario read them).
    The root conftest restores them before every database test too; this names the dependency."""
    from jmzhgd.core.seed_tables import seed_code_tables

    seed_code_tables()
