"""config.production for the benchmark's gunicorn: a temporary STATIC_ROOT, plus one extra file.

BENCH_STATIC_ROOT is where collectstatic writes (never the tree's staticfiles/); BENCH_EXTRA_STATIC,
when set, is a directory collected too (the charter page saved as a static file, the ceiling).
"""

import os
from pathlib import Path

from config.production import *  # noqa: F403

STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
if os.environ.get("BENCH_EXTRA_STATIC"):
    STATICFILES_DIRS = [*STATICFILES_DIRS, os.environ["BENCH_EXTRA_STATIC"]]  # noqa: F405
# Read by pages/cache.py when it exists (0 = no page cache).
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", "0"))
