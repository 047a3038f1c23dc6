"""A short sustained load on the public pages through a live server: no error, no 5xx.

Several threads request one URL of every public page type (tests/public_pages.py) for a few
seconds (bounded in time and in number of requests). Throughput figures live in bench/run.py;
this test only checks that nothing fails under concurrency.
"""

import collections
import datetime
import http.client
import threading
import time
import urllib.parse

import pytest

from tests.public_pages import PAGE_KINDS, page_path

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 6
# Requests per page under load, and a safety bound in seconds (never a throughput floor: speed
# targets live in bench/).
ROUNDS = 3
MAX_SECONDS = 120.0


def _public_paths() -> list[str]:
    """One URL of every public page type (tests/public_pages.py), the versions included."""
    from charter.models import CharterPage
    from publishing.services import version_create

    charter = CharterPage.objects.get(slug="charte-synthetique")
    plan = CharterPage.objects.get(slug="plan-departemental")
    version_create(
        charter=charter,
        name="Charte 2017",
        effective_date=datetime.date(2017, 12, 14),
        user=None,
        is_public=True,
    )
    return [page_path(kind, charter, plan) for kind in PAGE_KINDS if kind != "page-introuvable"]


def hammer(base_url: str, paths: list[str], *, threads: int, seconds: float, limit: int):
    """GET the paths round-robin from `threads` threads; statuses and failures per path."""
    parts = urllib.parse.urlsplit(base_url)
    lock = threading.Lock()
    statuses: collections.Counter = collections.Counter()
    failures: list[str] = []
    sent = [0]
    deadline = time.monotonic() + seconds

    def loop(offset: int):
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        number = offset
        try:
            while time.monotonic() < deadline:
                with lock:
                    if sent[0] >= limit:
                        return
                    sent[0] += 1
                path = paths[number % len(paths)]
                number += 1
                try:
                    connection.request("GET", path)
                    response = connection.getresponse()
                    response.read()
                    with lock:
                        statuses[(path, response.status)] += 1
                    if response.will_close:
                        connection.close()
                        connection = http.client.HTTPConnection(
                            parts.hostname, parts.port, timeout=30
                        )
                except (OSError, http.client.HTTPException) as error:
                    with lock:
                        failures.append(f"{path}: {error!r}")
                    connection.close()
                    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        finally:
            connection.close()

    # Each thread starts at its own share of the list, so every page is requested early.
    workers = [
        threading.Thread(target=loop, args=(i * len(paths) // threads,)) for i in range(threads)
    ]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=seconds + 60)
    return statuses, failures, time.monotonic() - started


def test_sustained_load_on_public_pages(live_server):
    paths = _public_paths()
    # Every page answers before the load starts (a broken page would only add noise).
    first, failures, _ = hammer(live_server.url, paths, threads=1, seconds=60, limit=len(paths))
    assert not failures
    assert dict(first.keys()) == dict.fromkeys(paths, 200)

    statuses, failures, elapsed = hammer(
        live_server.url, paths, threads=THREADS, seconds=MAX_SECONDS, limit=ROUNDS * len(paths)
    )
    total = sum(statuses.values())
    assert not failures, failures[:5]
    server_errors = {key: n for key, n in statuses.items() if key[1] >= 500}
    assert not server_errors
    not_ok = {key: n for key, n in statuses.items() if key[1] != 200}
    assert not not_ok
    assert total == ROUNDS * len(paths), f"only {total} requests in {elapsed:.1f} s"
    assert {path for path, _status in statuses} == set(paths)  # every page was loaded
