"""Every translation catalog in the repository is complete and compiled; pages speak the user's language."""

import gettext
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ("platform", "modules", "tenants", "onboarding", "billing")
PO_FILES = sorted(path for top in SOURCE_DIRS for path in (ROOT / top).glob("**/locale/*/LC_MESSAGES/django.po"))
# Catalogs this module's owner keeps in step with their sources (makemessages finds nothing new).
OWN_CATALOGS = {
    # api and console keep their own catalogs; the rest of the project package (kernel too) is here.
    ROOT / "platform" / "jxc": ["api/*", "console/*"],
    ROOT / "modules" / "workspace": [],
}


@dataclass
class PoEntry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def _unquote(token: str) -> str:
    body = token.strip()
    assert body.startswith('"') and body.endswith('"'), token
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), body[1:-1])


def parse_po(path: Path) -> list[PoEntry]:
    """A small .po reader: enough for gettext's own output (no obsolete `#~` entries are returned)."""
    entries: list[PoEntry] = []
    entry = PoEntry()
    target: tuple[str, int | None] | None = None
    seen_keyword = False

    def finish():
        nonlocal entry, seen_keyword, target
        if seen_keyword:
            entries.append(entry)
        entry, seen_keyword, target = PoEntry(), False, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            if seen_keyword:
                finish()
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            if seen_keyword and target and target[0] == "msgstr":
                finish()
            continue
        match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$", line)
        if match:
            keyword, index, text = match.group(1), match.group(2), _unquote(match.group(3))
            if keyword in ("msgctxt", "msgid") and seen_keyword and target and target[0] == "msgstr":
                finish()
            seen_keyword = True
            if not entry.line:
                entry.line = number
            target = (keyword, int(index) if index is not None else None)
            if keyword == "msgstr":
                entry.msgstr[target[1] or 0] = text
            else:
                setattr(entry, keyword, text)
            continue
        assert line.startswith('"'), f"{path}:{number}: cannot read {raw!r}"
        text = _unquote(line)
        keyword, index = target
        if keyword == "msgstr":
            entry.msgstr[index or 0] += text
        else:
            setattr(entry, keyword, getattr(entry, keyword) + text)
    finish()
    return entries


def _key(entry: PoEntry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt is not None else entry.msgid


def expected_catalog(entries: list[PoEntry]) -> dict:
    """What msgfmt puts in the .mo: gettext's own catalog keys, plural forms as (msgid, n).

    The header is left out: msgfmt rewrites it (it drops POT-Creation-Date)."""
    catalog = {}
    for entry in entries:
        if not entry.msgid or "fuzzy" in entry.flags:
            continue
        if entry.msgid_plural is not None:
            for index, text in entry.msgstr.items():
                if text:
                    catalog[(_key(entry), index)] = text
        elif entry.msgstr.get(0):
            catalog[_key(entry)] = entry.msgstr[0]
    return catalog


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_the_repository_has_catalogs():
    assert ROOT / "platform/jxc/locale/zh_Hans/LC_MESSAGES/django.po" in PO_FILES
    assert ROOT / "modules/workspace/locale/zh_Hans/LC_MESSAGES/django.po" in PO_FILES


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


@pytest.mark.parametrize("po_path", PO_FILES, ids=_rel)
def test_catalog_is_complete(po_path):
    entries = parse_po(po_path)

    fuzzy = [f"line {e.line}: {e.msgid!r}" for e in entries if "fuzzy" in e.flags]
    untranslated = [
        f"line {e.line}: {e.msgid!r}" for e in entries if e.msgid and (not e.msgstr or not all(e.msgstr.values()))
    ]
    assert fuzzy == [], f"{_rel(po_path)} has fuzzy entries (msgfmt drops them)"
    assert untranslated == [], f"{_rel(po_path)} has untranslated entries"
    header = next((e for e in entries if e.msgid == "" and e.msgctxt is None), None)
    assert header is not None and "charset=UTF-8" in header.msgstr[0]


@pytest.mark.parametrize("po_path", PO_FILES, ids=_rel)
def test_compiled_catalog_matches_its_source(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{_rel(mo_path)} is missing: run msgfmt -o django.mo django.po"

    with mo_path.open("rb") as handle:
        compiled = {key: text for key, text in gettext.GNUTranslations(handle)._catalog.items() if key != ""}

    expected = expected_catalog(parse_po(po_path))
    stale = sorted(str(k) for k in expected.keys() | compiled.keys() if expected.get(k) != compiled.get(k))
    assert stale == [], f"{_rel(mo_path)} is out of date with its .po: recompile it"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext tools are not installed")
@pytest.mark.parametrize("app_dir", list(OWN_CATALOGS), ids=_rel)
def test_catalog_holds_every_source_string(app_dir, tmp_path):
    """makemessages on a copy of the sources finds no string the committed catalog lacks."""
    copy = tmp_path / app_dir.name
    shutil.copytree(app_dir, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "*.po"))
    ignores = [arg for pattern in OWN_CATALOGS[app_dir] for arg in ("--ignore", pattern)]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jxc.settings",
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'platform'}",
    }
    subprocess.run(
        # django-admin, not `python -m django`: the latter puts the copy first on sys.path, and its
        # selectors.py would shadow the standard library's module.
        [str(Path(sys.executable).parent / "django-admin"), "makemessages", "-l", "zh_Hans", "--no-location", *ignores],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )

    found = {_key(e) for e in parse_po(copy / "locale/zh_Hans/LC_MESSAGES/django.po") if e.msgid}
    committed = {_key(e) for e in parse_po(app_dir / "locale/zh_Hans/LC_MESSAGES/django.po") if e.msgid}
    assert found, "makemessages found no strings at all: the check would prove nothing"
    assert sorted(found - committed) == [], f"run makemessages in {_rel(app_dir)} and translate the new strings"


# --- Pages in the user's language --------------------------------------------------------------


def test_dashboard_is_chinese_by_default_and_english_on_request(owner_client_a):
    chinese = owner_client_a.get("/").content.decode()
    english = owner_client_a.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<html lang="zh-hans">' in chinese
    assert ">工作台</a>" in chinese
    assert ">财务</a>" in chinese
    assert "新手上路" in chinese
    assert "· 店账通</title>" in chinese
    assert '<html lang="en">' in english
    assert ">Dashboard</a>" in english
    assert ">Finance</a>" in english
    assert "Getting started" in english
    assert "· ShopLedger</title>" in english


def test_language_switch_on_a_shop_host(owner_client_a):
    response = owner_client_a.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    # The cookie wins over the browser's Accept-Language.
    english = owner_client_a.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert ">Dashboard</a>" in english
    assert 'value="zh-hans"' in english  # the switch now offers Chinese

    back = owner_client_a.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})

    assert back.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    assert ">工作台</a>" in owner_client_a.get("/").content.decode()


def test_language_switch_never_redirects_to_another_shop(owner_client_a):
    response = owner_client_a.post("/i18n/setlang/", {"language": "en", "next": "http://beta.localhost/"})

    assert response.status_code == 302
    assert "beta" not in response["Location"]


def test_public_pages_use_the_project_name_in_each_language(db):
    from django.test import Client

    client = Client(HTTP_HOST=f"no-such-shop.{settings.BASE_DOMAIN}")

    chinese = client.get("/").content.decode()
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<a class="brand" href="/">店账通</a>' in chinese
    assert '<a class="brand" href="/">ShopLedger</a>' in english
