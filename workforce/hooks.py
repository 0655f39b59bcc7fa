"""Calls the workforce floor makes into the floors above it (README "Floors").

Entering a worker is checked by rules that live above the roster (the training before entry, the
certificate of a special trade): they connect to `entry_checking` in their AppConfig.ready.
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent by workforce.services.entry.check_entries, the one check every entry path runs (the wizard,
# the batch import, 采集, the API), with `project`, `requests` (the EntryRequests) and `check` (the
# EntryCheck): a receiver adds its errors and warnings to `check` by request index.
entry_checking = Signal()
