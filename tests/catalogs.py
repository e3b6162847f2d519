"""Reading the project's gettext catalogs (.po) without polib: enough for gettext's own output."""

import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIRS = ("platform", "modules", "tenants", "onboarding", "billing")
PO_FILES = sorted(path for top in SOURCE_DIRS for path in (ROOT / top).glob("**/locale/*/LC_MESSAGES/django.po"))


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


def entry_key(entry: PoEntry) -> str:
    """gettext's own catalog key: the context and the msgid joined by EOT."""
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
                    catalog[(entry_key(entry), index)] = text
        elif entry.msgstr.get(0):
            catalog[entry_key(entry)] = entry.msgstr[0]
    return catalog


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))
