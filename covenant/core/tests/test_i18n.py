"""The Dutch catalogue is complete and compiled, every translatable string in the code and
templates is in it, and pages are served in Dutch.

To update the catalogue after adding strings: `make messages` (makemessages + compilemessages),
then translate the new entries in locale/nl/LC_MESSAGES/django.po, drop their `#, fuzzy` flags
and run `make messages` again so that django.mo is rebuilt.
"""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings

BASE_DIR = Path(settings.BASE_DIR)
LOCALE_DIR = BASE_DIR / "locale"
PO_PATH = LOCALE_DIR / "nl" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

# What `make messages` leaves out, plus directories that never hold our sources.
IGNORED_DIRS = {".venv", "var", "test-artifacts", "node_modules", "locale", "__pycache__"}
SOURCE_SUFFIXES = {".py", ".html", ".txt"}  # makemessages' default extensions

# A known string of the home page, and its Dutch translation.
HOME_HEADING_EN = "Sector agreements on responsible business conduct"
HOME_HEADING_NL = "Convenanten voor internationaal maatschappelijk verantwoord ondernemen"

_PRINTF = re.compile(r"%(?:\([^)]+\))?[-#0+]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa]")
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)


def placeholders(text: str) -> Counter[str]:
    """printf-style (%(name)s, %s, %d) and template ({{ x }}, {% tag %}) placeholders."""
    found = Counter(re.sub(r"\s+", " ", m) for m in _TEMPLATE.findall(text))
    found.update(_PRINTF.findall(_TEMPLATE.sub("", text).replace("%%", "")))
    return found


def active_entries(catalog: polib.POFile) -> list[polib.POEntry]:
    return [e for e in catalog if not e.obsolete]


def describe(entry: polib.POEntry) -> str:
    where = ", ".join(path for path, _line in entry.occurrences[:2])
    return f"{entry.msgid!r} ({where})" if where else repr(entry.msgid)


def is_translated(entry: polib.POEntry) -> bool:
    if "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def translations(catalog: polib._BaseFile) -> dict[tuple[str | None, str], object]:
    """(msgctxt, msgid) → msgstr, or the tuple of plural forms; the header is left out."""
    mapping: dict[tuple[str | None, str], object] = {}
    for entry in catalog:
        if not entry.msgid or entry.obsolete or "fuzzy" in entry.flags:
            continue
        if entry.msgid_plural:
            forms = tuple(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural))
            mapping[(entry.msgctxt, entry.msgid)] = (entry.msgid_plural, forms)
        else:
            mapping[(entry.msgctxt, entry.msgid)] = entry.msgstr
    return mapping


@pytest.fixture(scope="module")
def po() -> polib.POFile:
    assert PO_PATH.exists(), f"{PO_PATH} is missing: run `make messages`"
    return polib.pofile(str(PO_PATH))


# (a) the catalogue itself


def test_catalogue_is_not_empty_and_declares_dutch_plurals(po: polib.POFile) -> None:
    assert len(active_entries(po)) > 100
    assert po.metadata.get("Plural-Forms", "").replace(" ", "") == "nplurals=2;plural=(n!=1);"
    assert "charset=UTF-8" in po.metadata.get("Content-Type", "")


def test_every_entry_is_translated(po: polib.POFile) -> None:
    untranslated = [describe(e) for e in active_entries(po) if not is_translated(e)]
    assert not untranslated, "Untranslated entries:\n" + "\n".join(untranslated)


def test_no_fuzzy_entries(po: polib.POFile) -> None:
    # Django (msgfmt) skips fuzzy entries, so they would show up in English.
    fuzzy = [describe(e) for e in active_entries(po) if "fuzzy" in e.flags]
    assert not fuzzy, "Fuzzy entries (check them and remove the flag):\n" + "\n".join(fuzzy)
    assert not po.metadata_is_fuzzy, "the header of django.po is marked fuzzy"


def test_placeholders_are_kept(po: polib.POFile) -> None:
    problems = []
    for entry in active_entries(po):
        if entry.msgid_plural:
            pairs = [
                (entry.msgid if index == 0 else entry.msgid_plural, text)
                for index, text in sorted(entry.msgstr_plural.items())
            ]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for source, translated in pairs:
            if translated and placeholders(source) != placeholders(translated):
                problems.append(
                    f"{describe(entry)}: {sorted(placeholders(source).elements())} "
                    f"≠ {sorted(placeholders(translated).elements())}"
                )
    assert not problems, "Placeholders differ:\n" + "\n".join(problems)


def test_placeholder_helper() -> None:
    assert placeholders("%(n)s of %(total)d, %s, 50%% done") == Counter(
        {"%(n)s": 1, "%(total)d": 1, "%s": 1}
    )
    assert placeholders("{{ n }} and {%  url 'x'  %}") == Counter(
        {"{{ n }}": 1, "{% url 'x' %}": 1}
    )
    assert placeholders("plain text, 50% of the market") == Counter()


# (b) the compiled catalogue


def test_mo_file_is_up_to_date(po: polib.POFile, tmp_path: Path) -> None:
    assert MO_PATH.exists(), f"{MO_PATH} is missing: run `make messages`"
    fresh = tmp_path / "django.mo"
    po.save_as_mofile(str(fresh))
    committed = polib.mofile(str(MO_PATH))
    expected = polib.mofile(str(fresh))
    assert translations(committed) == translations(expected), (
        "locale/nl/LC_MESSAGES/django.mo is out of date: run `make messages`"
    )
    assert committed.metadata.get("Plural-Forms") == expected.metadata.get("Plural-Forms")


# (c) every translatable string in the code and templates is in the catalogue


def _copy_sources(destination: Path) -> None:
    """Copy the project's translatable sources, so that makemessages (which writes .pot files,
    the .po and temporary `*.html.py` files next to templates) never touches the real tree."""
    for dirpath, dirnames, filenames in os.walk(BASE_DIR):
        dirnames[:] = [d for d in dirnames if d not in IGNORED_DIRS and not d.startswith(".")]
        for filename in filenames:
            source = Path(dirpath) / filename
            if source.suffix in SOURCE_SUFFIXES:
                target = destination / source.relative_to(BASE_DIR)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)


@pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("xgettext", "msguniq", "msgmerge", "msgattrib")),
    reason="GNU gettext is not installed",
)
def test_every_translatable_string_is_translated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    _copy_sources(project)
    locale = project / "locale"
    shutil.copytree(LOCALE_DIR, locale)
    before = PO_PATH.read_bytes()

    # makemessages walks the working directory and writes into the first locale path
    # (LOCALE_PATHS, then ./locale): both are the copy here.
    monkeypatch.chdir(project)
    with override_settings(LOCALE_PATHS=[str(locale)]):
        call_command(
            "makemessages",
            locale=["nl"],
            no_obsolete=True,
            add_location="file",
            ignore_patterns=[".venv/*", "var/*", "test-artifacts/*", "node_modules/*"],
            verbosity=0,
        )

    assert PO_PATH.read_bytes() == before, "the real catalogue must not be modified"
    regenerated = polib.pofile(str(locale / "nl" / "LC_MESSAGES" / "django.po"))
    assert len(active_entries(regenerated)) > 100
    missing = [describe(e) for e in active_entries(regenerated) if not is_translated(e)]
    assert not missing, (
        "Strings in the code or templates without a Dutch translation "
        "(run `make messages` and translate them):\n" + "\n".join(missing)
    )


# (d) a page in Dutch


@pytest.mark.django_db
def test_home_page_in_dutch_with_language_cookie() -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert HOME_HEADING_NL in html
    assert HOME_HEADING_EN not in html


@pytest.mark.django_db
def test_home_page_in_dutch_after_choosing_the_language() -> None:
    client = Client()
    assert HOME_HEADING_EN in client.get("/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert HOME_HEADING_NL in html
    assert HOME_HEADING_EN not in html
