"""Import first in every benchmark script: puts the project on the path and sets Django up.

`python bench/<name>.py` has bench/ itself on sys.path, so `import bootstrap` finds this file.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT / "platform", ROOT):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jxc.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# As in production: with DEBUG on, Django keeps every query's SQL and timing in memory.
os.environ.setdefault("DEBUG", "0")

import django  # noqa: E402

django.setup()
