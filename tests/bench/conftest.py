from __future__ import annotations

import pytest


@pytest.fixture
def code_tables(db):
    """工种 and 岗位 as the data migration seeds them: a transactional test's flush removes them, and the
    dataset and the import scenario take their values from these tables."""
    from jmzhgd.core.models import ManagementPost, WorkType
    from jmzhgd.core.seed_tables import MANAGEMENT_POSTS, WORK_TYPES

    for order, (code, name) in enumerate(WORK_TYPES):
        WorkType.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    for order, (code, name, corp_types) in enumerate(MANAGEMENT_POSTS):
        ManagementPost.objects.get_or_create(
            code=code, defaults={"name": name, "corp_types": corp_types, "sort_order": order}
        )
