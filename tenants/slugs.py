"""Shop addresses (slugs): the rules, and a suggestion from a company name. Pure functions."""

import re
import unicodedata

from pypinyin import Style, lazy_pinyin

SLUG_MIN, SLUG_MAX = 3, 30
SLUG_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
RESERVED_SLUGS = frozenset(
    {
        "www", "api", "console", "admin", "static", "media", "mail", "smtp", "imap", "pop", "ftp",
        "app", "apps", "auth", "login", "signup", "help", "support", "status", "docs", "blog",
        "billing", "stripe", "webhooks", "public", "demo-public", "root", "system", "test", "dev",
        "staging", "cdn", "assets", "metrics", "healthz", "readyz", "ns1", "ns2", "mx",
    }
)  # fmt: skip


def slug_problem(slug: str) -> str | None:
    """Return the error code for a bad slug, or None when it is acceptable."""
    if not (SLUG_MIN <= len(slug) <= SLUG_MAX) or not SLUG_RE.match(slug):
        return "slug_invalid"
    if slug in RESERVED_SLUGS:
        return "slug_reserved"
    return None


def slug_suggest(name: str) -> str:
    """`上海好邻居便利店` -> `shanghaihaolinjubianlidian`; Latin names keep their words."""
    words = lazy_pinyin(name.strip(), style=Style.NORMAL, errors=lambda chars: [chars])
    # Accented Latin letters keep their base letter (Café -> cafe) instead of vanishing.
    words = [unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower() for word in words]
    text = "-".join(w for w in (re.sub(r"[^a-z0-9]+", "-", word).strip("-") for word in words) if w)
    # Pinyin syllables read better joined; keep hyphens only where the name had separators.
    if re.search(r"[\u4e00-\u9fff]", name):
        text = text.replace("-", "")
    text = re.sub(r"-{2,}", "-", text).strip("-")
    if text and not text[0].isalpha():
        text = f"shop-{text}"
    text = text[:SLUG_MAX].rstrip("-")
    if len(text) < SLUG_MIN:
        text = (text + "-shop").lstrip("-")
    return text


def schema_name_for(slug: str) -> str:
    return "t_" + slug.replace("-", "_")
