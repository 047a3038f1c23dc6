"""Database unreachable: a static French 503 page with Retry-After, never a stack trace.

Each case runs in a subprocess whose settings point the default connection at a database that
cannot be reached (a closed PostgreSQL port, an SQLite file in a directory that does not exist):
nothing in this test session's own connections has to be changed and restored.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import json, django
django.setup()
from django.test import Client
results = {}
for path in ("/", "/charte-synthetique/", "/versions/charte-synthetique/", "/api/v2/engagements/"):
    response = Client().get(path)
    results[path] = {
        "status": response.status_code,
        "retry_after": response.get("Retry-After"),
        "csp": response.get("Content-Security-Policy"),
        "body": response.content.decode(),
    }
print(json.dumps(results))
"""


@pytest.mark.parametrize(
    "database_url",
    [
        "postgres://postgres@127.0.0.1:1/charte_injoignable",
        "sqlite:////nonexistent-directory/charte/db.sqlite3",
    ],
    ids=["postgresql-port-closed", "sqlite-unopenable"],
)
def test_public_pages_answer_503_when_the_database_is_unreachable(database_url):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.test", "DATABASE_URL": database_url}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    results = json.loads(result.stdout.strip().splitlines()[-1])
    for path, answer in results.items():
        assert answer["status"] == 503, path
        assert answer["retry_after"] == "120", path
        assert "Service momentanément indisponible" in answer["body"], path
        assert "Traceback" not in answer["body"]
        assert "OperationalError" not in answer["body"]
        assert "default-src 'self'" in answer["csp"]
