"""deploy/gunicorn.conf.py loads, and a worker's start-up hook tunes garbage collection as documented."""

from __future__ import annotations

import gc
import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"


def test_the_worker_hook_freezes_start_up_objects_and_raises_the_collection_threshold():
    conf = runpy.run_path(str(CONF))
    assert conf["worker_class"] == "sync" and conf["workers"] >= 1
    before = gc.get_threshold()
    try:
        conf["post_worker_init"](worker=None)
        assert gc.get_threshold() == (50_000, 20, 20)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
