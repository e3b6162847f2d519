"""Production settings refuse to start when they would be unsafe."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_SECRET = "k" * 20 + "-production-secret-0123456789"


def load_settings(**overrides: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "ENVIRONMENT"}}
    env.update(overrides)
    env["DJANGO_SETTINGS_MODULE"] = "jxc.settings"
    return subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; settings.INSTALLED_APPS; print('loaded')"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )


def test_production_with_safe_settings_loads():
    result = load_settings(ENVIRONMENT="production", SECRET_KEY=GOOD_SECRET, ALLOWED_HOSTS=".shop.example.com")
    assert result.returncode == 0, result.stderr
    assert "loaded" in result.stdout


@pytest.mark.parametrize(
    "overrides,complaint",
    [
        ({"DEBUG": "true", "SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": ".x.com"}, "DEBUG must be off"),
        ({"ALLOWED_HOSTS": ".x.com"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "dev-insecure-change-me", "ALLOWED_HOSTS": ".x.com"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": GOOD_SECRET}, "ALLOWED_HOSTS must be set"),
    ],
)
def test_production_refuses_unsafe_settings(overrides, complaint):
    result = load_settings(ENVIRONMENT="production", **overrides)
    assert result.returncode != 0
    assert "Refusing to start in production" in result.stderr
    assert complaint in result.stderr


def test_development_defaults_load_without_any_configuration():
    result = load_settings()
    assert result.returncode == 0, result.stderr
