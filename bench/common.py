"""Constants shared by the benchmark modules: paths, the « état au » date, the targets."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
AS_OF = "2022-06-30"
LOCAL_PG = "postgres://postgres@127.0.0.1:5432/postgres"
SLOW_SECONDS = 10.0
STATEMENT_TIMEOUT_MS = 120_000  # PostgreSQL: one query stopped after 2 min (figure reported)
TARGETS = {
    "dashboard_ms": 300.0,
    "import_s": 20.0,
    "import_real_s": 60.0,
    "national_dashboard_ms": 1000.0,
    "rss_mb": 300.0,
    "cached_vs_static": 0.9,  # issue 19 (was 0.5)
    # Issue 19, in bench/reference.py's terms (ratios measured in the same run):
    "home_vs_wagtail": 1.0,  # uncached home ≥ a minimal stock Wagtail page
    "static_vs_hello": 0.5,  # static file ≥ half a bare gunicorn « hello world » of its size
    "charter_ms": {"demo": 30.0, "large": 1000.0},  # uncached charter page, in-process median
    # Campaign simulation (bench/campaign.py): the other charter's pages while one is updated.
    "campaign_other_hits": 0.95,
    "campaign_other_rps": 0.9,
}
