"""Signals the lower floors send so that higher floors can follow their changes without being imported.

`records_changed` is sent, after the fact, by actions that write in bulk (bulk_create, update()),
which Django's own post_save does not see: the roster's 进场 and 退场. Receivers (the 预警中心)
get `project_ids`, the projects whose records changed.
"""

from __future__ import annotations

from django.dispatch import Signal

records_changed = Signal()  # sender: the model class; kwargs: project_ids (iterable of ints)
