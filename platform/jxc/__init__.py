"""The project package: settings, URLs, the Celery app and the shared kernel."""

from jxc.celery import app as celery_app

__all__ = ["celery_app"]
