"""The platform's own translations (locale/) take precedence over installed apps' catalogues."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils import translation


class _Form(forms.Form):
    name = forms.CharField()


def test_a_missing_required_field_reads_in_djangos_own_chinese():
    # django-simple-captcha's catalogue says "这个字段是必须的" and used to win over Django's.
    with translation.override("zh-hans"):
        form = _Form({})
        assert not form.is_valid()
        assert form.errors["name"] == ["这个字段是必填项。"]


def test_the_login_page_says_so_for_an_empty_field(client, db):
    response = client.post(reverse("accounts:login"), {})
    page = response.content.decode()
    # The platform's forms name the field (jmzhgd.core.forms); neither stock wording is left.
    assert "请填写验证码。" in page and "这个字段是" not in page


def test_the_compiled_catalogue_matches_its_source():
    # The .mo is committed (the platform needs no gettext tools to run): an edit of the .po must be
    # compiled too, `msgfmt -o django.mo django.po`.
    import gettext
    import re
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES"
    source = (folder / "django.po").read_text(encoding="utf-8")
    pairs = dict(re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', source, flags=re.MULTILINE))
    with (folder / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog
    assert len(pairs) > 30
    assert {key: catalogue.get(key) for key in pairs} == pairs
    assert set(catalogue) - {""} == set(pairs)
