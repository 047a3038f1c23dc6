"""Throughput and memory under load: gunicorn with the production settings, wrk or Python."""

import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

from bench.common import PYTHON, ROOT


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


CONFIG = ROOT / "config" / "gunicorn.py"


class Gunicorn:
    """gunicorn config.wsgi on loopback with the production settings (via bench settings)."""

    app = "config.wsgi:application"

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

    def gunicorn_env(self) -> dict:
        return {
            "WEB_CONCURRENCY": "2",
            "GUNICORN_MAX_REQUESTS": "0",
            **self.env,
            "BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_ACCESS_LOG": "",
            "GUNICORN_LOG_LEVEL": "warning",
        }

    def worker_model(self) -> str:
        """« 2 × gthread (4 threads) »: what config/gunicorn.py gives in this environment."""
        code = (
            "import runpy; c = runpy.run_path('config/gunicorn.py'); "
            "print(c['workers'], c.get('worker_class', 'sync'), c['threads'])"
        )
        out = subprocess.run(
            [PYTHON, "-c", code], cwd=ROOT, env=self.gunicorn_env(), capture_output=True, text=True
        ).stdout.split()
        if len(out) != 3:
            return "?"
        workers, worker_class, threads = out
        return f"{workers} × {worker_class}" + (f" ({threads} threads)" if threads != "1" else "")

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
        # The production configuration (worker class, threads, timeout), read from the same
        # environment variables: 2 processes on the 2-core machine, loopback, no access log and
        # no recycling (GUNICORN_MAX_REQUESTS=0: a worker restarting every few seconds at a
        # cached page's rate would measure Django's start-up). GUNICORN_WORKER_CLASS=sync
        # GUNICORN_THREADS=1 in the bench's environment measure the former model.
        self.process = subprocess.Popen(
            [gunicorn, "-c", str(CONFIG), self.app], cwd=ROOT, env=self.gunicorn_env()
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
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=180)
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


def under_load(
    database: str,
    charter_url: str,
    seconds: float,
    workdir: Path,
    reference_url: str | None = None,
) -> dict:
    """Throughput of the charter page on gunicorn: uncached, cached, and as a static file."""
    import importlib.util

    from bench import reference

    cache_module = importlib.util.find_spec("pages.cache") is not None
    static_root, extra = workdir / "static_root", workdir / "extra_static"
    (extra / "bench").mkdir(parents=True, exist_ok=True)
    out: dict = {"cache_module": cache_module}
    tool = "wrk" if shutil.which("wrk") else "Python (threads + http.client ; wrk absent)"
    server = Gunicorn(database=database, static_root=static_root, extra=extra, cache=0)
    out["workers"] = server.worker_model()
    print(
        f"  Sous charge (gunicorn {out['workers']}, config/gunicorn.py, config.production, "
        f"8 connexions, générateur {tool}) :"
    )
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
        out.update(reference.uncached_references(server, reference_url, seconds))
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
    out["hello"] = reference.hello_world(
        size=len(html), database=database, workdir=workdir, seconds=seconds
    )
    out["rss_mb"] = rss
    print(f"  Mémoire (RSS) max. d'un worker après la charge : {rss:.0f} Mo (cible < 300 Mo)")
    return out
