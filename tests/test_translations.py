"""Every translation catalog of the project is complete and compiled, and no two of them translate the same message
differently: Django merges all the apps' catalogs into one, and the app listed first in INSTALLED_APPS (LOCALE_PATHS
before any app) wins, so a second meaning silently shows the first meaning's words. A word whose meaning differs by
module takes a context (pgettext, `{% translate "Credit" context "finance" %}`)."""

import gettext
from collections import defaultdict
from pathlib import Path

import pytest
from django.utils import translation

from tests.catalogs import PO_FILES, ROOT, entry_key, expected_catalog, parse_po, rel


def _language(po_path: Path) -> str:
    return po_path.parents[1].name  # locale/<language>/LC_MESSAGES/django.po


def _describe(key) -> str:
    text, form = key if isinstance(key, tuple) else (key, None)
    context, _, msgid = text.rpartition("\x04")
    described = f"{msgid!r}" + (f" (context {context!r})" if context else "")
    return described + (f" [plural form {form}]" if form is not None else "")


def translation_conflicts(po_paths: list[Path], root: Path = ROOT) -> list[str]:
    """Each message (context, msgid, plural form) that two catalogs of one language translate differently, naming
    the catalogs by their app's folder (relative to root)."""
    seen = defaultdict(lambda: defaultdict(list))  # (language, key) -> translation -> catalogs
    for po_path in po_paths:
        for key, text in expected_catalog(parse_po(po_path)).items():
            seen[(_language(po_path), key)][text].append(str(po_path.parents[3].relative_to(root)))
    return [
        f"{_describe(key)} in {language}: "
        + "; ".join(f"{text!r} in {', '.join(catalogs)}" for text, catalogs in translations.items())
        for (language, key), translations in sorted(seen.items(), key=lambda item: (item[0][0], str(item[0][1])))
        if len(translations) > 1
    ]


def test_the_repository_has_catalogs():
    assert ROOT / "platform/jxc/locale/zh_Hans/LC_MESSAGES/django.po" in PO_FILES
    assert ROOT / "modules/workspace/locale/zh_Hans/LC_MESSAGES/django.po" in PO_FILES
    assert ROOT / "modules/finance/locale/zh_Hans/LC_MESSAGES/django.po" in PO_FILES
    assert ROOT / "tenants/locale/zh_Hans/LC_MESSAGES/django.po" in PO_FILES
    assert len(PO_FILES) >= 20


def test_po_reader_understands_plurals_contexts_and_continuations(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
        '#: a.py:1\n#, python-format\nmsgid "%(n)s item"\nmsgid_plural "%(n)s items"\nmsgstr[0] "%(n)s 件"\n\n'
        'msgctxt "menu"\nmsgid "Open"\nmsgstr "打开"\n\n'
        '#, fuzzy\nmsgid "Long "\n"text"\nmsgstr ""\n"长\\"文\\"本"\n\n'
        '#~ msgid "Old"\n#~ msgstr "旧"\n',
        encoding="utf-8",
    )

    entries = parse_po(po)

    assert [(e.msgctxt, e.msgid, e.msgid_plural, e.msgstr, "fuzzy" in e.flags) for e in entries] == [
        (None, "", None, {0: "Plural-Forms: nplurals=1; plural=0;\n"}, False),
        (None, "%(n)s item", "%(n)s items", {0: "%(n)s 件"}, False),
        ("menu", "Open", None, {0: "打开"}, False),
        (None, "Long text", None, {0: '长"文"本'}, True),
    ]


@pytest.mark.parametrize("po_path", PO_FILES, ids=rel)
def test_catalog_is_complete(po_path):
    entries = parse_po(po_path)

    fuzzy = [f"line {e.line}: {e.msgid!r}" for e in entries if "fuzzy" in e.flags]
    untranslated = [
        f"line {e.line}: {e.msgid!r}" for e in entries if e.msgid and (not e.msgstr or not all(e.msgstr.values()))
    ]
    assert fuzzy == [], f"{rel(po_path)} has fuzzy entries (msgfmt drops them)"
    assert untranslated == [], f"{rel(po_path)} has untranslated entries"
    header = next((e for e in entries if e.msgid == "" and e.msgctxt is None), None)
    assert header is not None and "charset=UTF-8" in header.msgstr[0]


@pytest.mark.parametrize("po_path", PO_FILES, ids=rel)
def test_compiled_catalog_matches_its_source(po_path):
    """The .mo holds exactly the .po's messages: compare contents, not file times (a checkout sets those)."""
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{rel(mo_path)} is missing: run msgfmt --check -o django.mo django.po"

    with mo_path.open("rb") as handle:
        compiled = {key: text for key, text in gettext.GNUTranslations(handle)._catalog.items() if key != ""}

    expected = expected_catalog(parse_po(po_path))
    stale = sorted(_describe(k) for k in expected.keys() | compiled.keys() if expected.get(k) != compiled.get(k))
    assert stale == [], f"{rel(mo_path)} is out of date with its .po: recompile it (msgfmt --check -o …)"


def test_conflicts_are_found_and_named(tmp_path):
    """The check below can fail: two catalogs giving one message two meanings are named, with both words."""
    header = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    for app, credit in (("finance", "贷方"), ("sales", "冲减金额")):
        po = tmp_path / app / "locale/zh_Hans/LC_MESSAGES/django.po"
        po.parent.mkdir(parents=True)
        po.write_text(
            header + f'msgid "Credit"\nmsgstr "{credit}"\n\n'
            'msgid "Debit"\nmsgstr "借方"\n\n'  # the same words in both: no conflict
            f'msgctxt "{app}"\nmsgid "Total"\nmsgstr "{app} 合计"\n',  # each in its own context: no conflict
            encoding="utf-8",
        )

    conflicts = translation_conflicts(sorted(tmp_path.glob("*/locale/zh_Hans/LC_MESSAGES/django.po")), tmp_path)

    assert conflicts == ["'Credit' in zh_Hans: '贷方' in finance; '冲减金额' in sales"]


def test_no_message_is_translated_two_ways():
    conflicts = translation_conflicts(PO_FILES)

    assert conflicts == [], (
        "The same message has different translations in two catalogs, and Django shows only one of them "
        "everywhere. Use the same words, or give the usages whose meaning differs a context (pgettext, "
        '{% translate "…" context "…" %}):\n' + "\n".join(conflicts)
    )


@pytest.mark.parametrize("po_path", PO_FILES, ids=rel)
def test_django_shows_each_catalogs_own_words(po_path):
    """What Django shows for each message is what this catalog says: no earlier app (Django's own contrib apps,
    DRF) or LOCALE_PATHS catalog hides it. Plural entries are checked in their first form."""
    shadowed = []
    with translation.override(translation.to_language(_language(po_path))):
        for entry in parse_po(po_path):
            if not entry.msgid or "fuzzy" in entry.flags:
                continue
            if entry.msgid_plural is None:
                shown = (
                    translation.pgettext(entry.msgctxt, entry.msgid)
                    if entry.msgctxt is not None
                    else translation.gettext(entry.msgid)
                )
            elif entry.msgctxt is not None:
                shown = translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
            else:
                shown = translation.ngettext(entry.msgid, entry.msgid_plural, 1)
            if shown != entry.msgstr[0]:
                shadowed.append(f"{_describe(entry_key(entry))}: {entry.msgstr[0]!r}, shown as {shown!r}")

    assert shadowed == [], f"{rel(po_path)}: another catalog's words are shown instead:\n" + "\n".join(shadowed)
