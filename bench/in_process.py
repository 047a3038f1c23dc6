"""The benchmark worker's in-process figures: pages and services through Django's test client."""

import os
import statistics
import sys
import time
from pathlib import Path

from bench.common import AS_OF, ROOT, SLOW_SECONDS, STATEMENT_TIMEOUT_MS


def _setup_django(database: str, workdir: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.test"
    import django

    django.setup()
    from django.conf import settings

    settings.MEDIA_ROOT = workdir / "media"
    from django.db.backends.signals import connection_created

    def statement_timeout(sender, connection, **kwargs):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"SET statement_timeout = {STATEMENT_TIMEOUT_MS}")

    connection_created.connect(statement_timeout, weak=False)
    # In-process figures are uncached: the page cache (pages/cache.py) is measured under load.
    settings.PUBLIC_CACHE_SECONDS = 0
    # A figure, not a limit: pandoc's time on the large charter is measured, not cut at 30 s.
    settings.PANDOC_TIMEOUT_SECONDS = max(settings.PANDOC_TIMEOUT_SECONDS, 300)


def _reverse(name: str, **kwargs) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def _measure(label: str, call, runs: int, results: dict, *, warmup: int = 1) -> None:
    """Median wall time of `call` over `runs` runs and its SQL query count (last run)."""
    from django.db import connection

    slow = False
    for _ in range(warmup):
        started = time.perf_counter()
        call()
        # A figure that takes more than SLOW_SECONDS is measured once more only.
        slow = slow or time.perf_counter() - started > SLOW_SECONDS
    runs = 1 if slow else runs
    times, counts = [], []
    for _ in range(runs):
        executed = [0]

        def count(execute, sql, params, many, context, executed=executed):
            executed[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            started = time.perf_counter()
            status = call()
            times.append(time.perf_counter() - started)
        counts.append(executed[0])
    median = statistics.median(times) * 1000
    results[label] = {
        "queries": counts[-1],
        "median_ms": median,
        "min_ms": min(times) * 1000,
        "max_ms": max(times) * 1000,
        "status": status,
    }
    varying = "" if len(set(counts)) == 1 else f" (varie : {min(counts)}–{max(counts)})"
    print(
        f"  {label:<44} {counts[-1]:>5} requêtes{varying}   médiane {median:9.1f} ms"
        f"   (min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f}; {runs} passages)"
        + ("" if status in (200, None) else f"   ⚠ statut HTTP {status}"),
        flush=True,
    )


def _skip(label: str, why: str, results: dict) -> None:
    results[label] = {"skipped": True, "why": why}
    print(f"  {label:<44} ignoré : {why}", flush=True)


def in_process(
    size: str, runs: int, scale: float, import_runs: int = 1, import_rows: int = 10_000
) -> dict:
    """Generate the data, then time the pages and services through Django's test client."""
    import datetime

    from django.db.models import Count
    from django.test import Client

    from bench.generate import SYNTHETIC_PREFIX, counts, generate
    from charter.models import CharterPage, Partner

    started = time.perf_counter()
    created = generate(size=size, scale=scale)
    generation = time.perf_counter() - started
    totals = counts()
    print(
        f"  Génération : {generation:.1f} s — "
        + ", ".join(f"{k} {v}" for k, v in totals.items())
        + (
            f" (copie des pages : {created['copie des arbres de pages (s)']} s)"
            if "copie des arbres de pages (s)" in created
            else ""
        )
    )
    charter = CharterPage.objects.get(slug="charte-paris-2017")
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser(
        username="bench-admin", email="bench@example.org", password="bench-motdepasse-42"
    )
    # A page that raises is reported as a 500 (and timed), not a crash of the benchmark.
    anonymous, staff = Client(raise_request_exception=False), Client(raise_request_exception=False)
    staff.force_login(user)
    # The heaviest partner page of the demo's own partners, the same page at every size (the
    # generated partners of `large` sign nothing and declare nothing: their page runs fewer
    # branches, so comparing it with the demo's would not compare one page's queries).
    partner = (
        Partner.objects.exclude(name__startswith=SYNTHETIC_PREFIX)
        .annotate(n=Count("commitments"))
        .order_by("-n", "slug")
        .first()
    )
    timings: dict = {}

    def get(client, url):
        return lambda: client.get(url).status_code

    print(f"  Mesures en processus (client de test Django, {runs} passages, médiane) :")
    _measure("Accueil /", get(anonymous, "/"), runs, timings)
    _measure(f"Charte {charter.url}", get(anonymous, charter.url), runs, timings)
    matrix = _reverse("engagements_public:matrix", charter_slug=charter.slug)
    if matrix:
        _measure("Matrice des engagements", get(anonymous, matrix), runs, timings)
    else:
        _skip("Matrice des engagements", "URL engagements_public:matrix pas encore là", timings)
    partner_url = _reverse("engagements_public:partner", slug=partner.slug)
    if partner_url:
        label = "Page partenaire"
        _measure(label, get(anonymous, partner_url), runs, timings)
        timings[label]["detail"] = f"{partner.slug} ({partner.n} engagements)"
    else:
        _skip("Page partenaire", "URL engagements_public:partner pas encore là", timings)
    dashboard = _reverse("monitoring:dashboard")
    _measure(
        "Tableau de bord du comité", get(staff, f"{dashboard}?charter={charter.pk}"), runs, timings
    )
    if size == "national":
        # Without a charter chosen: what the committee sees first, every charter counted.
        _measure("Tableau de bord du comité (toutes chartes)", get(staff, dashboard), runs, timings)
    _measure(
        f"Tableau de bord, état au {AS_OF}",
        get(staff, f"{dashboard}?charter={charter.pk}&as_of={AS_OF}"),
        runs,
        timings,
    )

    from publishing.docx.export import cache_path, export_docx
    from publishing.services import version_create

    started = time.perf_counter()
    version = version_create(
        charter=charter,
        name="Version du banc d'essai",
        effective_date=datetime.date(2017, 12, 14),
        user=None,
        is_public=True,
    )
    print(f"  Figer une version (instantané + empreinte) : {time.perf_counter() - started:.2f} s")

    def cold_export():
        cache_path(version.fingerprint).unlink(missing_ok=True)
        assert not export_docx(version.snapshot, fingerprint=version.fingerprint).cached

    heavy_runs = max(1, min(runs, 3))
    _measure("Export DOCX à froid", cold_export, heavy_runs, timings, warmup=0)

    from imports.services import import_file
    from imports.tests.commitments_csv import commitments_import_csv

    result = {
        "size": size,
        "generation_s": generation,
        "commitments": totals["engagements"],
        "counts": totals,
        "timings": timings,
        "charter_url": charter.url,
    }
    if not import_rows:
        _skip(
            "Import 10 000 lignes (simulation)",
            "mesuré une fois, sur « large » (sinon la dernière taille)",
            timings,
        )
        return result
    data = commitments_import_csv(charter, rows=import_rows)
    print(f"  CSV d'import : {import_rows} lignes, {len(data) / 1000:.0f} ko")
    report: list = []

    def dry_run():
        result = import_file(
            kind="commitments",
            filename="banc-engagements.csv",
            data=data,
            user=None,
            dry_run=True,
            charter=charter,
        )
        report[:] = [result]

    label = f"Import {import_rows:,} lignes (simulation)".replace(",", " ")
    _measure(label, dry_run, import_runs, timings, warmup=0)
    preview = report[0]
    print(
        f"    simulation : {len(preview.rows)} lignes, {preview.totals}, "
        f"{len(preview.errors)} erreurs"
        + (f" (1re : {preview.errors[0]})" if preview.errors else "")
    )
    _real_import(charter, data, import_rows, timings)
    return result


def _real_import(charter, data: bytes, rows: int, timings: dict) -> None:
    """The same file imported for real (written, then rolled back: the load tests that follow
    see the data as generated). Measured once: it costs per row and writes."""
    from django.db import transaction

    from imports.services import import_file

    report: list = []

    def real():
        with transaction.atomic():
            report[:] = [
                import_file(
                    kind="commitments",
                    filename="banc-engagements.csv",
                    data=data,
                    user=None,
                    dry_run=False,
                    charter=charter,
                )
            ]
            transaction.set_rollback(True)

    label = f"Import {rows:,} lignes".replace(",", " ") + " (réel, annulé ensuite)"
    _measure(label, real, 1, timings, warmup=0)
    done = report[0]
    print(
        f"    import réel : {len(done.rows)} lignes, {done.totals}, écrit : {done.written}, "
        f"{len(done.errors)} erreurs" + (f" (1re : {done.errors[0]})" if done.errors else "")
    )
