"""Shared by the pandoc security tests (issue #12, items 1 and 10): a leak canary, a local
HTTP server, hostile user text, and a recorder of the pandoc processes started."""

import http.server
import io
import os
import subprocess
import threading
import zipfile

import pypandoc
import pytest

CANARY = "CANARI-SECRET-4f1c9a"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def http_server():
    """A local HTTP server answering a PNG that carries the canary; it records every request."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            body = PNG + CANARY.encode()
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", requests
    server.shutdown()
    server.server_close()


@pytest.fixture
def hostile_text(http_server, tmp_path, monkeypatch):
    """User Markdown with every way to point pandoc at a server file or URL."""
    base, _requests = http_server
    monkeypatch.setenv("LEAK_CANARY", CANARY)  # inherited by pandoc: /proc/self/environ
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG + CANARY.encode())
    return "\n\n".join(
        [
            "Avant ![environnement](/proc/self/environ) après.",
            f"![fichier local]({secret})",
            f'![fichier]( file://{secret} "titre"){{width=2cm}}',
            f"![réseau]({base}/prive.png)",
            "![par référence][secret]",
            f"[secret]: {base}/reference.png",
            f'<img src="{base}/html.png" alt="image HTML">',
            f'---\nabstract: "!\\x5Bmétadonnées]({secret})"\n---',
            "Fin du champ.",
        ]
    )


def media_and_text(data: bytes) -> tuple[list[str], bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        content = b"".join(archive.read(name) for name in names)
    return [n for n in names if n.startswith("word/media/")], content


@pytest.fixture
def pandoc_processes(monkeypatch):
    """Every pandoc process started during the test (whoever starts it), with its command."""
    started: list[subprocess.Popen] = []
    pypandoc.get_pandoc_path()  # pypandoc probes its binary (--version) once: not recorded
    original = subprocess.Popen

    class Recorder(original):
        def __init__(self, args, *more, **options):
            super().__init__(args, *more, **options)
            if os.path.basename(str(args[0])) == "pandoc":
                started.append(self)

    monkeypatch.setattr(subprocess, "Popen", Recorder)
    return started


def assert_nothing_left_running(processes: list[subprocess.Popen]) -> None:
    """Each pandoc was reaped, and nothing of its process group is still alive."""
    assert processes
    for process in processes:
        assert process.returncode is not None
        with pytest.raises(ProcessLookupError):
            os.killpg(process.pid, 0)
