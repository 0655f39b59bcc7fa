"""Calls the projects floor makes into the floors above it (README "Floors").

A new project's builder and general contractor become its first participating units, but units
live on the enterprises floor, above projects: enterprises connects here in its AppConfig.ready.
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside establish_project's transaction with `actor`, `project` and `entry_date`; a receiver
# that raises rolls the whole establishment back (docs/requirements.md §3.3: project, units and account, all or none).
project_established = Signal()
