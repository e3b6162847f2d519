"""The project package's and the workspace's catalogs hold every string of their sources; pages speak the user's
language. (Checks over every catalog of the project are in tests/test_translations.py.)"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.catalogs import ROOT, entry_key, parse_po, rel

# Catalogs this module's owner keeps in step with their sources (makemessages finds nothing new).
OWN_CATALOGS = {
    # api and console keep their own catalogs; the rest of the project package (kernel too) is here.
    ROOT / "platform" / "jxc": ["api/*", "console/*"],
    ROOT / "modules" / "workspace": [],
}


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext tools are not installed")
@pytest.mark.parametrize("app_dir", list(OWN_CATALOGS), ids=rel)
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

    found = {entry_key(e) for e in parse_po(copy / "locale/zh_Hans/LC_MESSAGES/django.po") if e.msgid}
    committed = {entry_key(e) for e in parse_po(app_dir / "locale/zh_Hans/LC_MESSAGES/django.po") if e.msgid}
    assert found, "makemessages found no strings at all: the check would prove nothing"
    assert sorted(found - committed) == [], f"run makemessages in {rel(app_dir)} and translate the new strings"


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
