"""PII storage for ID numbers and phones: encrypted at rest, a keyed digest for lookup, a display form.

A model stores one ID number as a trio of fields:

    id_number = EncryptedTextField("证件号码")
    id_number_digest = DigestField(source="id_number")      # unique / exact lookup
    id_number_masked = MaskedIdField(source="id_number")    # 4407**********1234 for display

The digest and mask are computed from the clear value in `pre_save`, which Django calls on save()
and bulk_create(). (`QuerySet.update()` and `bulk_update()` skip pre_save: set all three fields
there yourself, with `id_digest()` and `mask_id()`.)

How much a mask shows is set by what it must not give away: a resident ID number is area (6) + birth
date (8) + sequence (3) + check (1), so a mask that kept the whole area code, shown beside the birth
date or an age, let anyone rebuild the number. The mask keeps 4 + 4 (`4405**********1234`, the
example of docs/domain.md §5.2), and pages show 年龄, never 出生日期, unless the number
is revealed (audited).

A person's phone is stored the same way, with its last 4 digits in clear instead of a mask:

    phone = EncryptedTextField("手机号", blank=True)
    phone_digest = PhoneDigestField(source="phone")         # exact search by the whole number
    phone_last4 = PhoneTailField(source="phone")            # 尾号 search, 138****5678 beside the mask

Encryption is Fernet (AES-128-CBC + HMAC-SHA256) with MultiFernet over PII_ENCRYPTION_KEYS: the first
key encrypts, all keys decrypt, which is what key rotation needs.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "PII_ENCRYPTION_KEYS 不是有效的 Fernet 密钥（32字节 urlsafe base64）。"
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.PII_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ImproperlyConfigured("无法解密证件号码：PII_ENCRYPTION_KEYS 中缺少加密时使用的密钥。") from exc


def rotate_token(token: str) -> str:
    """Re-encrypt a token under the current first key."""
    return fernet().rotate(token.encode("ascii")).decode("ascii")


def id_digest(value: str) -> str:
    """Keyed digest (HMAC-SHA256) of a normalised ID number, for uniqueness and exact search."""
    normalised = (value or "").strip().upper()
    return hmac.new(settings.PII_DIGEST_KEY.encode(), normalised.encode(), hashlib.sha256).hexdigest()


def _kept(length: int) -> int:
    """Characters kept at each end: 4 for ID and bank card numbers (15 characters or more), fewer for
    short documents (passports, permits), so that a mask always hides at least half of a number."""
    if length >= 15:
        return 4
    if length >= 8:
        return 2
    return 1 if length >= 4 else 0


def phone_digits(value: str) -> str:
    """The digits of a phone number, which is what its digest and tail are taken from, so that
    0750-8270518 and 07508270518 are one number."""
    return "".join(ch for ch in (value or "") if ch.isdigit())


def phone_digest(value: str) -> str:
    """Keyed digest of a phone number's digits; prefixed so it never equals an ID number's digest."""
    message = ("phone:" + phone_digits(value)).encode()
    return hmac.new(settings.PII_DIGEST_KEY.encode(), message, hashlib.sha256).hexdigest()


def mask_id(value: str) -> str:
    """First 4 and last 4 characters visible: 4407**********1234 (never the birth date's digits).

    Applied to an already masked value it gives that value's mask under this rule, which is how the
    migrations re-masked what older rules stored (`*` stays `*`)."""
    value = (value or "").strip()
    keep = _kept(len(value))
    if keep == 0:
        return "*" * len(value)
    return value[:keep] + "*" * (len(value) - 2 * keep) + value[-keep:]


def mask_phone(value: str) -> str:
    """138****5678 for a mobile number; other numbers keep only their last 4 digits."""
    value = (value or "").strip()
    if len(value) == 11:
        return value[:3] + "****" + value[-4:]
    if len(value) > 4:
        return "*" * (len(value) - 4) + value[-4:]
    return value


class EncryptedTextField(models.TextField):
    """A text field whose database value is a Fernet token; Python sees the clear text."""

    description = "Encrypted text"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def get_internal_type(self) -> str:
        return "TextField"


class _DerivedField(models.CharField):
    """A char field computed from another field of the same model in pre_save."""

    def __init__(self, *args, source: str, keep_when_source_blank: bool = False, **kwargs):
        self.source = source
        # True where the clear value is deliberately not stored for some rows while their digest and
        # mask are (a matched punch: its number is its person's). A blank source then leaves the
        # value alone instead of clearing it. Elsewhere blanking the source clears the value.
        self.keep_when_source_blank = keep_when_source_blank
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        if self.keep_when_source_blank:
            kwargs["keep_when_source_blank"] = True
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    # Each concrete subclass below defines derive(clear) -> str.

    def pre_save(self, model_instance, add):
        clear = getattr(model_instance, self.source) or ""
        if clear:
            value = self.derive(clear)
        elif self.keep_when_source_blank:
            value = getattr(model_instance, self.attname) or ""
        else:
            value = ""
        setattr(model_instance, self.attname, value)
        return value


class DigestField(_DerivedField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        # __init__ defaults db_index to True, so False must be written out or a migration would
        # rebuild the field indexed again.
        kwargs["db_index"] = self.db_index
        return name, path, args, kwargs

    def derive(self, clear: str) -> str:
        return id_digest(clear)


class MaskedIdField(_DerivedField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        # Without an explicit verbose_name the admin would show "Id number masked"; name it after its
        # source field instead. Only the runtime label changes: deconstruct() reads _verbose_name, so no
        # migration follows.
        if self._verbose_name is None:
            try:
                source = cls._meta.get_field(self.source)
            except FieldDoesNotExist:
                return
            self.verbose_name = f"{source.verbose_name}（脱敏）"

    def derive(self, clear: str) -> str:
        return mask_id(clear)


class PhoneDigestField(DigestField):
    def derive(self, clear: str) -> str:
        return phone_digest(clear)


class PhoneTailField(_DerivedField):
    """The last 4 digits of a phone in clear: enough to tell numbers apart and to look a worker up by
    尾号, too little to call anyone."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 4)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def derive(self, clear: str) -> str:
        return phone_digits(clear)[-4:]


def remask_column(queryset, field: str) -> int:
    """Re-mask a stored masked column under `mask_id`'s rule, in SQL, one UPDATE per value length.

    Used by data migrations when the rule tightens: the clear value is not needed (a matched punch
    does not even store it), because masking a mask keeps its stars and cuts what it shows."""
    from django.db.models import CharField, Value
    from django.db.models.functions import Concat, Left, Length, Right

    lengths = queryset.exclude(**{field: ""}).annotate(n=Length(field)).order_by().values_list("n", flat=True)
    done = 0
    for length in sorted(set(lengths.distinct())):
        keep = _kept(length)
        stars = Value("*" * (length - 2 * keep))
        if keep:
            masked = Concat(Left(field, keep), stars, Right(field, keep), output_field=CharField())
        else:
            masked = stars
        done += queryset.alias(n=Length(field)).filter(n=length).update(**{field: masked})
    return done
