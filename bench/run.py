"""Prints query counts, median times and throughput per data size, beside the targets.

Run: make bench   or   .venv/bin/python bench/run.py [--sizes demo,large,national] [--runs 7]
PostgreSQL is used when DATABASE_URL names a PostgreSQL server or one answers on
127.0.0.1:5432 (each size gets its own throw-away database, dropped at the end); else SQLite in a
temporary directory. Figures are printed, never asserted (PASS / MISS beside each target).
"""

import argparse
import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
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
    "rss_mb": 300.0,
    "cached_vs_static": 0.5,
}


# --------------------------------------------------------------------------- orchestration


def _pg_server(explicit: str | None) -> str | None:
    """A PostgreSQL URL (to its maintenance database) when one is reachable, else None."""
    candidates = [explicit] if explicit else []
    if not explicit:
        candidates.append(LOCAL_PG)
    for url in candidates:
        if not url or not url.startswith(("postgres://", "postgresql://")):
            continue
        try:
            import psycopg

            parts = urllib.parse.urlsplit(url)
            admin = parts._replace(path="/postgres").geturl()
            with psycopg.connect(admin, connect_timeout=3):
                return admin
        except Exception as error:
            print(f"PostgreSQL injoignable ({error.__class__.__name__}) : SQLite sera utilisé.")
    return None


def _pg_exec(admin_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(sql)


def _db_url(admin_url: str, name: str) -> str:
    return urllib.parse.urlsplit(admin_url)._replace(path=f"/{name}").geturl()


def _terminate(signum, frame):
    raise SystemExit(f"signal {signum}")  # runs the finally blocks: databases dropped


def orchestrate(args) -> None:
    signal.signal(signal.SIGTERM, _terminate)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    workdir = Path(tempfile.mkdtemp(prefix="bench-run-"))
    admin = None if args.sqlite else _pg_server(os.environ.get("DATABASE_URL"))
    backend = "PostgreSQL" if admin else "SQLite"
    print(f"Banc d'essai — base {backend}, tailles : {', '.join(sizes)}, {args.runs} passages")
    print(f"Répertoire jetable : {workdir}")
    prefix = f"bench_{os.getpid()}"
    created_dbs: list[str] = []
    results = []
    try:
        # A template (migrated + demo charter) copied for each size: migrate runs once.
        if admin:
            template = f"{prefix}_tpl"
            _pg_exec(admin, f'CREATE DATABASE "{template}"')
            created_dbs.append(template)
            template_url = _db_url(admin, template)
        else:
            template_url = f"sqlite:///{workdir / 'template.sqlite3'}"
        started = time.perf_counter()
        subprocess.run(
            [
                PYTHON,
                str(ROOT / "bench" / "generate.py"),
                "--size",
                "demo",
                "--database",
                template_url,
            ],
            check=True,
            cwd=ROOT,
        )
        print(f"Modèle (migrate + démo) : {time.perf_counter() - started:.1f} s\n")
        for size in sizes:
            if admin:
                name = f"{prefix}_{size}"
                _pg_exec(admin, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
                created_dbs.append(name)
                url = _db_url(admin, name)
            else:
                path = workdir / f"{size}.sqlite3"
                shutil.copy(workdir / "template.sqlite3", path)
                url = f"sqlite:///{path}"
            out = workdir / f"{size}.json"
            command = [PYTHON, str(Path(__file__).resolve()), "--worker", size]
            command += ["--database", url, "--results", str(out), "--runs", str(args.runs)]
            command += ["--load-seconds", str(args.load_seconds), "--scale", str(args.scale)]
            command += ["--workdir", str(workdir / size), "--import-runs", str(args.import_runs)]
            # The import costs per row, whatever the data size: measured once, on the last size.
            rows = args.import_rows if size == sizes[-1] else 0
            command += ["--import-rows", str(rows)]
            if args.no_load:
                command.append("--no-load")
            print(f"===== Taille « {size} » =====", flush=True)
            subprocess.run(command, check=True, cwd=ROOT)
            results.append(json.loads(out.read_text()))
            print()
    finally:
        if admin:
            for name in reversed(created_dbs):
                with contextlib.suppress(Exception):
                    _pg_exec(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(workdir, ignore_errors=True)
    summary(results, backend)


def _word(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "MISS")


def summary(results: list[dict], backend: str) -> None:
    """The figures of every size side by side, then each target with PASS or MISS."""
    if not results:
        return
    print("===== Résumé =====")
    names = [r["size"] for r in results]
    print(f"Base : {backend}")
    header = f"{'mesure':<44}" + "".join(f"{n:>26}" for n in names)
    print(header)
    labels = []
    for result in results:
        for label in result["timings"]:
            if label not in labels:
                labels.append(label)
    for label in labels:
        cells = []
        for result in results:
            item = result["timings"].get(label)
            if item is None or item.get("skipped"):
                cells.append("ignoré")
            else:
                cells.append(f"{item['queries']} req. {item['median_ms']:.1f} ms")
        print(f"{label:<44}" + "".join(f"{c:>26}" for c in cells))
    for key, label in (("uncached", "page charte non cachée"), ("cached", "page charte cachée")):
        cells = [f"{r.get('load', {}).get(key, {}).get('rps', 0):.0f} req/s" for r in results]
        print(f"{label:<44}" + "".join(f"{c:>26}" for c in cells))
    cells = [f"{r.get('load', {}).get('static', {}).get('rps', 0):.0f} req/s" for r in results]
    print(f"{'fichier statique (plafond)':<44}" + "".join(f"{c:>26}" for c in cells))
    cells = [f"{r.get('load', {}).get('rss_mb', 0):.0f} Mo" for r in results]
    print(f"{'mémoire max. d’un worker gunicorn':<44}" + "".join(f"{c:>26}" for c in cells))

    print("\nCibles :")
    # 1. Query counts independent of the data size.
    for label in labels:
        counts = {
            r["size"]: r["timings"][label]["queries"]
            for r in results
            if label in r["timings"] and not r["timings"][label].get("skipped")
        }
        if label.startswith(("Export DOCX", "Import")):
            continue
        ok = None if len(counts) < 2 else len(set(counts.values())) == 1
        detail = ", ".join(f"{k} {v}" for k, v in counts.items())
        print(f"  [{_word(ok)}] requêtes SQL indépendantes de la taille — {label} : {detail}")
    # 2. Dashboard under 300 ms at 10,000 commitments on PostgreSQL.
    for r in results:
        if r["commitments"] < 10_000:
            continue
        for label in ("Tableau de bord du comité", f"Tableau de bord, état au {AS_OF}"):
            item = r["timings"].get(label)
            if not item or item.get("skipped"):
                continue
            ok = item["median_ms"] < TARGETS["dashboard_ms"]
            note = "" if backend == "PostgreSQL" else " (cible définie sur PostgreSQL : indicatif)"
            print(
                f"  [{_word(ok)}] {label} < 300 ms à {r['commitments']} engagements ({r['size']}) :"
                f" {item['median_ms']:.1f} ms{note}"
            )
    for r in results:
        load = r.get("load") or {}
        # 3. Cached page at least half the static throughput.
        if load.get("cached") and load.get("static"):
            ratio = load["cached"]["rps"] / max(load["static"]["rps"], 0.001)
            note = "" if load.get("cache_module") else " (pages/cache.py absent : pas de cache)"
            print(
                f"  [{_word(ratio >= TARGETS['cached_vs_static'])}] page cachée ≥ 50 % du "
                f"statique ({r['size']}) : {load['cached']['rps']:.0f} / "
                f"{load['static']['rps']:.0f} req/s = {ratio:.0%}{note}"
            )
        # 4. Worker memory.
        if load.get("rss_mb"):
            print(
                f"  [{_word(load['rss_mb'] < TARGETS['rss_mb'])}] mémoire d'un worker < 300 Mo "
                f"({r['size']}) : {load['rss_mb']:.0f} Mo"
            )
        # 5. Import dry-run.
        item = r["timings"].get("Import 10 000 lignes (simulation)")
        if item and not item.get("skipped"):
            seconds = item["median_ms"] / 1000
            print(
                f"  [{_word(seconds < TARGETS['import_s'])}] import de 10 000 lignes en simulation"
                f" < 20 s ({r['size']}) : {seconds:.1f} s"
            )
        # 6. Load errors.
        errors = sum(load.get(k, {}).get("errors", 0) for k in ("uncached", "cached", "static"))
        if load:
            print(f"  [{_word(errors == 0)}] aucune erreur sous charge ({r['size']}) : {errors}")


# --------------------------------------------------------------------------- worker


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

    from bench.generate import commitments_import_csv, counts, generate
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
    partner = (
        Partner.objects.annotate(n=Count("commitments")).order_by("-n", "slug").first()
    )  # the heaviest partner page
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
            "Import 10 000 lignes (simulation)", "mesuré une fois, sur la dernière taille", timings
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
    return result


# --------------------------------------------------------------------------- load


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Gunicorn:
    """gunicorn config.wsgi on loopback with the production settings (via bench settings)."""

    def __init__(self, *, database: str, static_root: Path, extra: Path | None, cache: int):
        self.port = _free_port()
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.gunicorn_settings",
            "DATABASE_URL": database,
            "SECRET_KEY": "bench-only-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "BENCH_STATIC_ROOT": str(static_root),
            "BENCH_EXTRA_STATIC": str(extra or ""),
            "PUBLIC_CACHE_SECONDS": str(cache),
            "PYTHONPATH": str(ROOT),
        }
        self.env.pop("DEBUG", None)
        self.process: subprocess.Popen | None = None

    def collectstatic(self) -> float:
        started = time.perf_counter()
        subprocess.run(
            [PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            cwd=ROOT,
            env=self.env,
            check=True,
        )
        return time.perf_counter() - started

    def __enter__(self):
        gunicorn = str(Path(PYTHON).with_name("gunicorn"))
        self.process = subprocess.Popen(
            [
                gunicorn,
                "config.wsgi:application",
                "-b",
                f"127.0.0.1:{self.port}",
                "-w",
                "2",
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=1),
            ):
                return self
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn s'est arrêté au démarrage")
            time.sleep(0.2)
        raise RuntimeError("gunicorn ne répond pas")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def get(self, path: str) -> tuple[int, bytes, dict]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path, headers={"Host": "127.0.0.1"})
            response = connection.getresponse()
            return response.status, response.read(), dict(response.getheaders())
        finally:
            connection.close()

    def worker_rss_mb(self) -> float:
        return max((_rss_mb(pid) for pid in _children(self.process.pid)), default=0.0)


def _python_load(port: int, path: str, seconds: float, threads: int, limit: int) -> dict:
    """Threads + http.client, bounded by `seconds` and `limit` requests in all."""
    lock = threading.Lock()
    stats = {"requests": 0, "errors": 0, "5xx": 0}
    deadline = time.monotonic() + seconds

    def loop():
        connection = None
        while time.monotonic() < deadline:
            with lock:
                if stats["requests"] >= limit:
                    return
                stats["requests"] += 1
            try:
                if connection is None:
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                connection.request("GET", path, headers={"Host": "127.0.0.1"})
                response = connection.getresponse()
                response.read()
                if response.status >= 500:
                    with lock:
                        stats["5xx"] += 1
                if response.status != 200:
                    with lock:
                        stats["errors"] += 1
                if response.will_close:
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException):
                with lock:
                    stats["errors"] += 1
                connection = None

    started = time.monotonic()
    workers = [threading.Thread(target=loop) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - started
    return {**stats, "rps": stats["requests"] / elapsed, "seconds": elapsed, "tool": "python"}


def _wrk_load(port: int, path: str, seconds: float, threads: int) -> dict:
    wrk = shutil.which("wrk")
    output = subprocess.run(
        [
            wrk,
            f"-t{min(threads, 2)}",
            f"-c{threads}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "30s",
            "-H",
            "Host: 127.0.0.1",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    total = int(re.search(r"(\d+) requests in", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return {"requests": total, "errors": errors, "rps": rps, "seconds": seconds, "tool": "wrk"}


def load(port: int, path: str, seconds: float, threads: int = 8) -> dict:
    if shutil.which("wrk"):
        return _wrk_load(port, path, seconds, threads)
    return _python_load(port, path, seconds, threads, limit=200_000)


def _print_load(label: str, stats: dict) -> None:
    print(
        f"  {label:<44} {stats['rps']:8.0f} req/s   ({stats['requests']} requêtes en "
        f"{stats['seconds']:.1f} s, {stats['errors']} erreurs, générateur {stats['tool']})",
        flush=True,
    )


def under_load(database: str, charter_url: str, seconds: float, workdir: Path) -> dict:
    """Throughput of the charter page on gunicorn: uncached, cached, and as a static file."""
    import importlib.util

    cache_module = importlib.util.find_spec("pages.cache") is not None
    static_root, extra = workdir / "static_root", workdir / "extra_static"
    (extra / "bench").mkdir(parents=True, exist_ok=True)
    out: dict = {"cache_module": cache_module}
    tool = "wrk" if shutil.which("wrk") else "Python (threads + http.client ; wrk absent)"
    print(f"  Sous charge (gunicorn -w 2, config.production, 8 connexions, générateur {tool}) :")
    server = Gunicorn(database=database, static_root=static_root, extra=extra, cache=0)
    print(f"    collectstatic : {server.collectstatic():.1f} s")
    with server:
        status, html, _headers = server.get(charter_url)
        if status != 200:
            print(f"  ⚠ {charter_url} : statut {status} sous gunicorn ; charge non mesurée")
            return out
        for _ in range(5):
            server.get(charter_url)
        out["uncached"] = load(server.port, charter_url, seconds)
        _print_load("Page charte, sans cache", out["uncached"])
        rss = server.worker_rss_mb()
    (extra / "bench" / "charte.html").write_bytes(html)
    cached = Gunicorn(database=database, static_root=static_root, extra=extra, cache=300)
    print(f"    collectstatic (avec la page en fichier statique) : {cached.collectstatic():.1f} s")
    with cached:
        for _ in range(20):
            cached.get(charter_url)
        out["cached"] = load(cached.port, charter_url, seconds)
        label = "Page charte, cache" + ("" if cache_module else " (pages/cache.py absent)")
        _print_load(label, out["cached"])
        status, body, _headers = cached.get("/static/bench/charte.html")
        if status == 200 and body == html:
            out["static"] = load(cached.port, "/static/bench/charte.html", seconds)
            _print_load("Même HTML en fichier statique (whitenoise)", out["static"])
        else:
            print(f"  ⚠ fichier statique : statut {status}")
        rss = max(rss, cached.worker_rss_mb())
    out["rss_mb"] = rss
    print(f"  Mémoire (RSS) max. d'un worker après la charge : {rss:.0f} Mo (cible < 300 Mo)")
    return out


def worker(args) -> None:
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    _setup_django(args.database, workdir)
    result = in_process(args.worker, args.runs, args.scale, args.import_runs, args.import_rows)
    from django.db import connections

    connections.close_all()
    if not args.no_load:
        result["load"] = under_load(
            args.database, result["charter_url"], args.load_seconds, workdir
        )
    Path(args.results).write_text(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="demo,large", help="demo,large,national")
    parser.add_argument("--runs", type=int, default=7, help="runs per figure (median)")
    parser.add_argument("--load-seconds", type=float, default=5.0)
    parser.add_argument("--import-runs", type=int, default=1, help="runs of the import dry-run")
    parser.add_argument("--import-rows", type=int, default=10_000, help="rows of the import CSV")
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies the data sizes")
    parser.add_argument("--sqlite", action="store_true", help="SQLite even if PostgreSQL answers")
    parser.add_argument("--no-load", action="store_true", help="skip the gunicorn load tests")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--results", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
    else:
        orchestrate(args)


if __name__ == "__main__":
    main()
