"""Redis down or silent: every page still answers, quickly, uncached (issue 12, item 6).

The cache configuration is the one config/production.py builds for a REDIS_URL (read in a
subprocess, as production reads its environment), pointed at a closed port or at a socket that
never answers; then at the real Redis (skipped when none runs on 127.0.0.1:6379) to check that
the pages are still cached when it works.
"""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
SECRET = "x" * 20 + "production-like-secret-key-with-enough-entropy-0123456789"


def production_cache(redis_url: str, *, key_prefix: str = "charte") -> dict:
    """CACHES["default"] as config/production.py builds it for this REDIS_URL."""
    code = (
        "import json; from django.conf import settings; c = settings.CACHES['default']; "
        "o = dict(c.get('OPTIONS', {})); r = o.pop('retry', None); "
        "o['retries'] = None if r is None else r.get_retries(); "
        "print(json.dumps({'BACKEND': c['BACKEND'], 'LOCATION': c['LOCATION'], 'OPTIONS': o}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.production",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "testserver",
        "REDIS_URL": redis_url,
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    config = json.loads(result.stdout)
    retries = config["OPTIONS"].pop("retries")
    if retries is not None:
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        config["OPTIONS"]["retry"] = Retry(NoBackoff(), retries)
    config["KEY_PREFIX"] = key_prefix
    return config


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_production_redis_has_short_timeouts_and_no_retry():
    config = production_cache("redis://127.0.0.1:6379/0")
    assert config["BACKEND"] == "config.cache.ResilientRedisCache"
    assert 0 < config["OPTIONS"]["socket_connect_timeout"] <= 1
    assert 0 < config["OPTIONS"]["socket_timeout"] <= 1
    assert config["OPTIONS"]["retry"].get_retries() == 0


def public_and_admin_paths(charter_page) -> list[str]:
    return [
        "/",
        charter_page.url,
        reverse("engagements_public:partner", kwargs={"slug": "caf"}),
        reverse("engagements_public:partner_list"),
        reverse("pages:search") + "?q=logement",
    ]


@pytest.mark.django_db
def test_with_redis_down_every_page_answers_quickly_uncached(
    client, admin_client, charter_page, caplog
):
    """A closed port: the cache of pages, of Wagtail's site root and the admin all degrade."""
    dead = production_cache(f"redis://127.0.0.1:{free_port()}/0")
    paths = public_and_admin_paths(charter_page)
    with override_settings(CACHES={"default": dead}, PUBLIC_CACHE_SECONDS=600):
        started = time.monotonic()
        for path in paths:
            for attempt in range(2):
                response = client.get(path)
                assert response.status_code == 200, (path, attempt)
                assert response.get("X-Cache") is None  # neither read nor stored
        response = admin_client.get(reverse("wagtailadmin_home"))
        assert response.status_code == 200
        # The generic cache verbs that Django and Wagtail call: a miss or a no-op.
        assert cache.get("k") is None
        assert cache.get("k", "défaut") == "défaut"
        assert cache.add("k", 1) is False
        assert cache.set("k", 1) is None
        assert cache.get_or_set("k", 5) == 5
        assert cache.get_many(["a", "b"]) == {}
        assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
        assert cache.has_key("k") is False
        assert cache.touch("k") is False
        assert cache.delete("k") is False
        assert cache.delete_many(["a", "b"]) is None
        assert cache.clear() is False
        with pytest.raises(ValueError):
            cache.incr("k")
        with pytest.raises(ValueError):
            cache.decr("k")
        elapsed = time.monotonic() - started
    assert elapsed < 30
    # One warning for the outage, not one per call.
    warnings = [r for r in caplog.records if "Cache Redis indisponible" in r.getMessage()]
    assert len(warnings) == 1


def test_a_redis_that_never_answers_costs_one_short_timeout():
    """A socket that accepts connections but never replies (a hung server, a network drop)."""
    from django.core.cache import caches

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        port = silent.getsockname()[1]
        config = production_cache(f"redis://127.0.0.1:{port}/0")
        results = {}

        def use_the_cache():
            with override_settings(CACHES={"default": config}):
                backend = caches["default"]
                started = time.monotonic()
                try:
                    results["get"] = backend.get("cle", "manquant")
                    backend.set("cle", 1)
                    results["get_again"] = backend.get("cle", "manquant")
                except Exception as error:  # what a page would turn into a 500
                    results["error"] = repr(error)
                results["elapsed"] = time.monotonic() - started

        worker = threading.Thread(target=use_the_cache, daemon=True)
        worker.start()
        worker.join(timeout=10)
        assert not worker.is_alive(), "le cache attend un serveur muet sans délai maximal"
    assert "error" not in results
    assert results["get"] == results["get_again"] == "manquant"
    # One timeout (0.5 s); the following calls skip the server for a while.
    assert results["elapsed"] < 3


def redis_is_running() -> bool:
    with socket.socket() as client:
        client.settimeout(0.5)
        return client.connect_ex(("127.0.0.1", 6379)) == 0


@pytest.mark.django_db
@pytest.mark.skipif(not redis_is_running(), reason="pas de Redis sur 127.0.0.1:6379")
def test_with_redis_up_pages_are_cached(client, charter_page):
    # A prefix of its own: the shared Redis is never cleared, only this test's keys are used.
    prefix = f"test-cache-failure-{uuid.uuid4().hex}"
    live = production_cache("redis://127.0.0.1:6379/0", key_prefix=prefix)
    with override_settings(CACHES={"default": live}, PUBLIC_CACHE_SECONDS=600):
        try:
            first = client.get(charter_page.url)
            second = client.get(charter_page.url)
            assert first.status_code == second.status_code == 200
            assert first["X-Cache"] == "MISS"
            assert second["X-Cache"] == "HIT"
            assert second.content == first.content
            assert cache.get_or_set("essai", 7) == 7
            cache.incr("essai")
            assert cache.get("essai") == 8
        finally:
            client_ = cache._cache.get_client(write=True)
            keys = list(client_.scan_iter(match=f"{prefix}:*"))
            if keys:
                client_.delete(*keys)
