"""Calls the accounts floor makes into the floors above it (README "Floors").

Accounts sit below the apps that issue credentials of their own to an account; those apps connect
here in their AppConfig.ready, so ending an account's access reaches them without an import upwards.
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent with `user_ids` when those accounts' sessions are ended: every other credential they hold
# (the collection app's API tokens) must end with them (ASVS V3.3.1).
sessions_ended = Signal()
