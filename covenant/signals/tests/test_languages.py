"""The public reporting pages in every language of the setting: each catalogue is compiled,
up to date, marked as needing a native speaker's review, keeps every placeholder, and the
report page is served in it (with dir="rtl" for Urdu)."""

from __future__ import annotations

import html
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import to_locale

from covenant.core.tests.test_i18n import placeholders, translations
from covenant.signals import conf

REPORT = "/agreements/garments/report/"
HEADING = "Report an abuse at a production location"
NEEDS_REVIEW = "Machine-written by the Covenant team; needs review by a native speaker"
# The languages of issue 5 whose catalogues are machine-written (en needs none, nl is the
# project's reviewed catalogue).
REVIEW_LANGUAGES = ("bn", "hi", "ta", "ur", "zh-hans", "vi", "km", "tr", "my", "id")
RTL = {"ur"}


def _po_path(code: str) -> Path:
    return Path(settings.BASE_DIR) / "locale" / to_locale(code) / "LC_MESSAGES" / "django.po"


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    translation.activate("en")


def test_all_twelve_languages_are_offered_by_default():
    assert [code for code, _name in conf.languages()] == [
        "en", "nl", "bn", "hi", "ta", "ur", "zh-hans", "vi", "km", "tr", "my", "id",
    ]  # fmt: skip


@pytest.mark.parametrize("code", REVIEW_LANGUAGES)
def test_catalogue_needs_review_keeps_placeholders_and_mo_is_current(code):
    po_path = _po_path(code)
    po = polib.pofile(str(po_path))
    assert po.metadata["Language"] == to_locale(code)
    assert po.metadata["Plural-Forms"].startswith("nplurals=")
    assert NEEDS_REVIEW in po.header
    entries = [e for e in po if not e.obsolete]
    assert len(entries) > 50
    for entry in entries:
        assert NEEDS_REVIEW in entry.comment, entry.msgid
        assert "fuzzy" not in entry.flags, entry.msgid
        if entry.msgid_plural:
            assert entry.msgstr_plural and all(entry.msgstr_plural.values()), entry.msgid
            for form in entry.msgstr_plural.values():
                assert placeholders(form) == placeholders(entry.msgid_plural), entry.msgid
        else:
            assert entry.msgstr, entry.msgid
            assert placeholders(entry.msgstr) == placeholders(entry.msgid), entry.msgid
    mo = polib.mofile(str(po_path.with_suffix(".mo")))
    assert translations(mo) == translations(po), f"{po_path.with_suffix('.mo')} is out of date"


@pytest.mark.parametrize("code", [c for c, _n in conf.LANGUAGE_NAMES.items() if c != "en"])
def test_report_page_in_every_language(world, client, code):
    response = client.get(f"{REPORT}?lang={code}")
    assert response.status_code == 200
    assert response["Content-Language"] == code
    body = html.unescape(response.content.decode())
    direction = ' dir="rtl"' if code in RTL else ""
    assert f'<html lang="{code}"{direction}>' in body
    if code in RTL:
        assert 'dir="rtl"' in body
    with translation.override(code):
        heading = translation.gettext(HEADING)
    assert heading != HEADING
    if code != "nl":
        expected = polib.pofile(str(_po_path(code))).find(HEADING).msgstr
        assert heading == expected
    assert f"<h1>{heading}</h1>" in body
    # Every language is linked, under its own name.
    for other, name in conf.LANGUAGE_NAMES.items():
        assert f'hreflang="{other}"' in body and name in body


def test_urdu_only_is_right_to_left(world, client):
    assert b'dir="rtl"' in client.get(f"{REPORT}?lang=ur").content
    assert b'dir="rtl"' not in client.get(f"{REPORT}?lang=bn").content


def test_errors_of_the_report_form_are_in_the_reporters_language(world, client, settings):
    """A refused report: the service's message (which field, what is wrong) is in Bengali,
    and nothing is saved."""
    from covenant.signals.models import Signal
    from covenant.signals.tests.test_public import _post_report

    settings.SIGNALS_POW_BITS = 8
    response = _post_report(client, description="short", lang="bn")
    assert response.status_code == 422
    body = html.unescape(response.content.decode())
    assert '<html lang="bn">' in body
    with translation.override("bn"):
        expected = translation.gettext("Describe what happened (at least a sentence).")
    assert expected != "Describe what happened (at least a sentence)."
    assert expected in body
    assert Signal.objects.count() == 0
