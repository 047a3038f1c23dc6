"""Prints the DOCX export time of the full demo charter, cold and from the cache.

Targets (issue 5): under 2 s cold, under 50 ms cached. Printed figures only, never asserted.
Run: .venv/bin/python bench/bench_docx_export.py  (builds a throw-away SQLite database first).
"""

import datetime
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = Path(tempfile.mkdtemp(prefix="bench-docx-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test")
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR / 'bench.sqlite3'}"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

settings.MEDIA_ROOT = WORKDIR / "media"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def main() -> None:
    from charter.models import CharterPage
    from demo.loader import load_demo
    from publishing.docx.export import cache_path, export_docx
    from publishing.services import version_create

    print(f"Base de données jetable : {WORKDIR}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_demo()
    print(f"migrate + load_demo : {time.perf_counter() - started:.1f} s")
    charter = CharterPage.objects.get(slug="charte-paris-2017")

    started = time.perf_counter()
    version = version_create(
        charter=charter,
        name="Charte 2017",
        effective_date=datetime.date(2017, 12, 14),
        user=None,
        is_public=True,
    )
    print(f"Figer la version (instantané + empreinte) : {ms(time.perf_counter() - started)}")

    cold = []
    for _run in range(5):
        cache_path(version.fingerprint).unlink(missing_ok=True)
        started = time.perf_counter()
        exported = export_docx(version.snapshot, fingerprint=version.fingerprint)
        cold.append(time.perf_counter() - started)
        assert not exported.cached
    cached = []
    for _run in range(50):
        started = time.perf_counter()
        exported = export_docx(version.snapshot, fingerprint=version.fingerprint)
        data = exported.path.read_bytes()  # what a download reads
        cached.append(time.perf_counter() - started)
        assert exported.cached
    print(f"DOCX : {len(data):,} octets".replace(",", " "))
    print(
        "Export à froid (pandoc + mise en forme), 5 passages : "
        f"médiane {ms(statistics.median(cold))}"
        f" ; min {ms(min(cold))} ; max {ms(max(cold))} (cible < 2 s)"
    )
    print(
        f"Export depuis le cache, 50 passages : médiane {ms(statistics.median(cached))}"
        f" ; max {ms(max(cached))} (cible < 50 ms)"
    )
    client = Client()
    url = f"/versions/{charter.slug}/{version.pk}/docx/"
    downloads = []
    for _run in range(20):
        started = time.perf_counter()
        response = client.get(url)
        b"".join(response.streaming_content)
        downloads.append(time.perf_counter() - started)
    print(
        f"Téléchargement public (requête HTTP complète, cache), 20 passages : médiane "
        f"{ms(statistics.median(downloads))} ; max {ms(max(downloads))}"
    )
    shutil.rmtree(WORKDIR, ignore_errors=True)


if __name__ == "__main__":
    main()
