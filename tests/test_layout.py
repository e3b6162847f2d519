"""The project layout: platform/ is an import root, never a package named `platform`."""

import importlib
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_platform_is_the_standard_library_module():
    import platform

    stdlib = Path(sysconfig.get_paths()["stdlib"])
    assert Path(platform.__file__).resolve().parent == stdlib.resolve()
    assert platform.python_version()


def test_platform_folder_is_not_a_package():
    assert not (ROOT / "platform" / "__init__.py").exists()


def test_project_package_imports_from_platform_root():
    jxc = importlib.import_module("jxc")
    assert Path(jxc.__file__).resolve().parent == ROOT / "platform" / "jxc"


def test_stdlib_platform_in_a_fresh_django_process():
    code = (
        "import django, platform, uuid; django.setup(); "
        "import platform as p; assert p.system() and hasattr(p, 'python_version'); print(p.__file__)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "jxc.settings"},
    )
    assert "jxc" not in out.stdout and out.stdout.strip().endswith("platform.py")
