"""Every pandoc run is sandboxed, stopped at its timeout or memory limit, never left running.

Issue #12, items 1 and 10, for the DOCX exports (publishing/docx/pandoc.py: run_pandoc). The
charter import's side: imports/tests/test_charter_import_limits.py.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from publishing.docx.export import DocxExportError, cache_path, export_docx
from publishing.tests import pandoc_fixtures as fx

pytestmark = pytest.mark.django_db

MESSAGE = "Le document DOCX n'a pas pu être produit"
pandoc_processes, assert_nothing_left_running = fx.pandoc_processes, fx.assert_nothing_left_running


def test_every_export_runs_pandoc_sandboxed(version_2017, pandoc_processes):
    export_docx(version_2017.snapshot, fingerprint=version_2017.fingerprint)
    assert [p.args for p in pandoc_processes if "--sandbox" not in p.args] == []
    assert len(pandoc_processes) == 1


def test_export_over_the_timeout_is_killed_and_reported_in_french(
    version_2017, settings, pandoc_processes
):
    settings.PANDOC_TIMEOUT_SECONDS = 0.01
    with pytest.raises(DocxExportError, match=MESSAGE):
        export_docx(version_2017.snapshot, fingerprint=version_2017.fingerprint)
    assert not cache_path(version_2017.fingerprint).exists()
    assert_nothing_left_running(pandoc_processes)
    assert pandoc_processes[0].returncode == -9  # killed, not finished


def test_export_over_the_memory_limit_is_stopped_and_reported_in_french(
    version_2017, settings, pandoc_processes
):
    settings.PANDOC_MEMORY_LIMIT_MB = 20
    with pytest.raises(DocxExportError, match=MESSAGE):
        export_docx(version_2017.snapshot, fingerprint=version_2017.fingerprint)
    assert not cache_path(version_2017.fingerprint).exists()
    assert_nothing_left_running(pandoc_processes)


def test_pandoc_is_killed_when_the_request_is_aborted(monkeypatch, pandoc_processes):
    """gunicorn aborts a worker past its timeout with SystemExit: pandoc does not outlive it."""
    from publishing.docx.pandoc import run_pandoc

    def aborted(self, *args, **kwargs):
        raise SystemExit(1)

    monkeypatch.setattr(subprocess.Popen, "communicate", aborted)
    with pytest.raises(SystemExit):
        run_pandoc(args=["--from=markdown", "--to=plain"], stdin=b"Bonjour")
    assert_nothing_left_running(pandoc_processes)


def test_pandoc_dies_with_a_killed_worker(tmp_path):
    """A worker killed outright (SIGKILL, OOM killer) takes its child along (PR_SET_PDEATHSIG)."""
    worker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import subprocess, time\n"
            "from publishing.docx.pandoc import _child_setup\n"
            "child = subprocess.Popen(['sleep', '60'], start_new_session=True,\n"
            "                         preexec_fn=_child_setup(256 * 1024 * 1024))\n"
            "print(child.pid, flush=True)\n"
            "time.sleep(60)\n",
        ],
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.PIPE,
    )
    child = int(worker.stdout.readline())
    limits = Path(f"/proc/{child}/limits").read_text()
    assert "Max address space         268435456" in limits
    worker.kill()
    worker.wait()
    worker.stdout.close()
    for _ in range(50):  # the child is killed at once; give the kernel a moment
        state = (
            Path(f"/proc/{child}/stat").read_text().split()[2]
            if os.path.exists(f"/proc/{child}")
            else "gone"
        )
        if state in ("Z", "X", "gone"):
            break
        time.sleep(0.1)
    assert state in ("Z", "X", "gone")  # dead (a zombie until init reaps it)
