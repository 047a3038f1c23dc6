"""Prints query counts, median times and throughput per data size, beside the targets.

Run: make bench   or   .venv/bin/python bench/run.py [--sizes demo,large,national] [--runs 7]
(`make bench`: every size, so every target of issue 19 is printed once with PASS or MISS.)
PostgreSQL is used when DATABASE_URL names a PostgreSQL server or one answers on
127.0.0.1:5432 (each size gets its own throw-away database, dropped at the end); else SQLite in a
temporary directory. Figures are printed, never asserted (PASS / MISS beside each target).
"""

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.campaign import campaign
from bench.common import LOCAL_PG, PYTHON, ROOT
from bench.in_process import _setup_django, in_process
from bench.load import under_load
from bench.summary import summary

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
    begun = time.perf_counter()
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
            scale = args.scale * (args.national_scale if size == "national" else 1.0)
            command += ["--load-seconds", str(args.load_seconds), "--scale", f"{scale:g}"]
            command += ["--workdir", str(workdir / size), "--import-runs", str(args.import_runs)]
            # The import costs per row: measured once, on `large` (10,000 commitments of one
            # charter) when it is run, else on the last size.
            import_size = "large" if "large" in sizes else sizes[-1]
            rows = args.import_rows if size == import_size else 0
            command += ["--import-rows", str(rows)]
            # National: its targets are in-process (dashboard, query counts); no load test.
            if args.no_load or size == "national":
                command.append("--no-load")
            elif size == sizes[0] and not args.no_campaign:
                command.append("--campaign")  # last in its worker: it adds a charter
            print(f"===== Taille « {size} » (échelle {scale:g}) =====", flush=True)
            size_started = time.perf_counter()
            subprocess.run(command, check=True, cwd=ROOT)
            results.append({**json.loads(out.read_text()), "scale": scale})
            print(f"  (taille « {size} » : {time.perf_counter() - size_started:.0f} s)\n")
    finally:
        if admin:
            for name in reversed(created_dbs):
                with contextlib.suppress(Exception):
                    _pg_exec(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(workdir, ignore_errors=True)
    summary(results, backend)
    print(f"\nDurée totale : {(time.perf_counter() - begun) / 60:.1f} min")


# --------------------------------------------------------------------------- worker


def worker(args) -> None:
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    _setup_django(args.database, workdir)
    result = in_process(args.worker, args.runs, args.scale, args.import_runs, args.import_rows)
    from django.db import connections

    from bench.reference import create_reference_page

    reference_url = None if args.no_load else create_reference_page()

    connections.close_all()
    if not args.no_load:
        result["load"] = under_load(
            args.database, result["charter_url"], args.load_seconds, workdir, reference_url
        )
        if args.campaign:
            result["campaign"] = campaign(args.database, args.load_seconds, workdir)
    Path(args.results).write_text(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="demo,large,national", help="demo,large,national")
    parser.add_argument("--runs", type=int, default=7, help="runs per figure (median)")
    parser.add_argument("--load-seconds", type=float, default=5.0)
    parser.add_argument("--import-runs", type=int, default=1, help="runs of the import dry-run")
    parser.add_argument("--import-rows", type=int, default=10_000, help="rows of the import CSV")
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies the data sizes")
    parser.add_argument(
        "--national-scale",
        type=float,
        default=1.0,
        help="multiplies national's size once more (0.1: 11 charters instead of 101)",
    )
    parser.add_argument("--sqlite", action="store_true", help="SQLite even if PostgreSQL answers")
    parser.add_argument("--no-load", action="store_true", help="skip the gunicorn load tests")
    parser.add_argument("--no-campaign", action="store_true", help="skip bench/campaign.py")
    parser.add_argument("--campaign", action="store_true", help=argparse.SUPPRESS)
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
