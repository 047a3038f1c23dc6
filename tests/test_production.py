"""Production settings: refuse to start without their secrets; cache and media from the env."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SECRET = "x" * 20 + "production-like-secret-key-with-enough-entropy-0123456789"


def run(code: str, **env_overrides) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.production"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    for name, value in env_overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key():
    result = run("import django; django.setup()", SECRET_KEY=None, ALLOWED_HOSTS="charte.fr")
    assert result.returncode != 0
    assert "La variable d'environnement SECRET_KEY est obligatoire en production." in result.stderr


@pytest.mark.parametrize(
    "weak_key",
    [
        "x",  # issue 12: accepted before
        "a-short-but-not-trivial-key-0123456789",  # 38 characters
        "ab" * 40,  # long, but 2 distinct characters
        "django-insecure-" + "k" * 20 + "0123456789abcdefghijklmnop",
    ],
)
def test_production_refuses_a_weak_secret_key(weak_key):
    result = run("import django; django.setup()", SECRET_KEY=weak_key, ALLOWED_HOSTS="charte.fr")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "La variable d'environnement SECRET_KEY est trop faible" in result.stderr
    assert "au moins 50 caractères" in result.stderr


def test_production_accepts_a_generated_secret_key():
    from django.core.management.utils import get_random_secret_key

    result = run(
        "import django; django.setup(); print('ok')",
        SECRET_KEY=get_random_secret_key(),
        ALLOWED_HOSTS="charte.fr",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_production_backup_signing_key_is_optional_but_never_weak():
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(repr(settings.BACKUP_SIGNING_KEY))"
    unset = run(code, SECRET_KEY=SECRET, ALLOWED_HOSTS="charte.fr", BACKUP_SIGNING_KEY=None)
    assert unset.returncode == 0, unset.stderr
    assert unset.stdout.strip() == "''"  # backups/archive.py then signs with SECRET_KEY
    key = "backup-" + SECRET
    given = run(code, SECRET_KEY=SECRET, ALLOWED_HOSTS="charte.fr", BACKUP_SIGNING_KEY=key)
    assert given.stdout.strip() == repr(key)
    weak = run(code, SECRET_KEY=SECRET, ALLOWED_HOSTS="charte.fr", BACKUP_SIGNING_KEY="court")
    assert weak.returncode != 0
    assert "La variable d'environnement BACKUP_SIGNING_KEY est trop faible" in weak.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run("import django; django.setup()", SECRET_KEY=SECRET, ALLOWED_HOSTS=None)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS est obligatoire" in result.stderr


def test_production_uses_redis_when_configured_and_local_memory_otherwise(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND']); print(settings.MEDIA_ROOT); "
        "print(settings.PUBLIC_CACHE_SECONDS)"
    )
    with_redis = run(
        code,
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="charte.fr",
        REDIS_URL="redis://127.0.0.1:6379/3",
        MEDIA_ROOT=str(tmp_path),
    )
    assert with_redis.returncode == 0, with_redis.stderr
    backend, media_root, seconds = with_redis.stdout.split()
    assert backend == "config.cache.ResilientRedisCache"
    assert media_root == str(tmp_path)
    assert seconds == "600"
    without = run(code, SECRET_KEY=SECRET, ALLOWED_HOSTS="charte.fr")
    assert without.stdout.split()[0] == "django.core.cache.backends.locmem.LocMemCache"


def test_gunicorn_configuration_reads_the_environment():
    code = "import runpy; c = runpy.run_path('config/gunicorn.py'); print(c['workers'], c['bind'])"
    result = run(code, WEB_CONCURRENCY="3", BIND="127.0.0.1:9000")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["3", "127.0.0.1:9000"]
    conf = run(
        "import runpy; c = runpy.run_path('config/gunicorn.py'); "
        "print(c['accesslog'], c['max_requests'] > 0, c['max_requests_jitter'] > 0)"
    )
    assert conf.stdout.split() == ["-", "True", "True"]
    # Threaded workers: a cached page is not queued behind a render in the same process.
    workers = "import runpy; c = runpy.run_path('config/gunicorn.py'); "
    workers += "print(c['worker_class'], c['threads'], c['accesslog'])"
    assert run(workers).stdout.split() == ["gthread", "8", "-"]
    former = run(
        workers, GUNICORN_WORKER_CLASS="sync", GUNICORN_THREADS="1", GUNICORN_ACCESS_LOG=""
    )
    assert former.stdout.split() == ["sync", "1", "None"]


@pytest.fixture
def redis_url(tmp_path):
    """A private, throw-away redis-server on a free port (skipped if Redis is not installed)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server absent (apt-get install redis-server)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            with socket.socket() as client:
                if client.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_redis_cache_and_the_page_cache_generation_are_shared_between_processes(redis_url):
    env = {"SECRET_KEY": SECRET, "ALLOWED_HOSTS": "charte.fr", "REDIS_URL": redis_url}
    setup = "import django; django.setup(); from django.core.cache import cache; "
    first = run(
        setup + "from pages.cache import current_generation, bump_generation; "
        "cache.set('essai', {'é': 1}); print(cache.get('essai')['é']); "
        "g = current_generation(); bump_generation(); print(g)",
        **env,
    )
    assert first.returncode == 0, first.stderr
    value, generation = first.stdout.split()
    assert value == "1"
    # Another process (another app server) sees the value and the bumped generation.
    second = run(
        setup + "from pages.cache import current_generation; "
        "print(cache.get('essai')['é']); print(current_generation())",
        **env,
    )
    assert second.returncode == 0, second.stderr
    assert second.stdout.split() == ["1", str(int(generation) + 1)]
