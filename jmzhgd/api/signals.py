"""A new password ends the account's collection-app tokens (ASVS 7.4.3), as it ends its browser
sessions through Django's session auth hash: by the account's own change, a supervisor's 重置密码,
the admin, or any other code that sets a password."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import ApiToken


@receiver(post_save, sender="accounts.User")
def end_app_tokens_on_new_password(sender, instance, **kwargs):
    # AbstractBaseUser.set_password() keeps the raw password in `_password` until save() has written
    # the row (post_save runs before it is cleared): the one sign, whoever called it, that this save
    # stored a new password. The delete joins the saving transaction.
    if getattr(instance, "_password", None) is not None:
        ApiToken.objects.filter(user_id=instance.pk).delete()
