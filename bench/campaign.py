"""Campaign simulation (issue 19): public pages of two charters read under load while a writer
saves commitment updates of one of them, through the engagements service, once a second.

What it shows: the page cache (pages/cache.py) forgets only the pages that show what changed —
charter B's pages stay cached (target ≥ 95 % hits, throughput as without the writer) while
charter A's pages are rendered again after each save — and no reader sees a stale page: after
each save the writer reads the partner page of the commitment and looks for its new text.

Setup (in the bench worker, after its other figures: it changes the data): a copy of the demo
charter's page tree when the database has one charter only (`generate.copy_demo_charter`), one
Redis server (the cache shared by gunicorn's 2 workers and the writer, as in production), gunicorn
with the page cache on. Two phases of `seconds` each: readers alone, then readers + writer. The
readers: one load generator per charter (wrk with a Lua script counting `X-Cache`, 4 connections
each, round-robin over the charter page, 3 action pages, the matrix and 2 partner pages);
the writer: a separate process (`campaign.py --writer`) with the production settings.

Standalone: .venv/bin/python bench/campaign.py --database URL [--seconds 8] [--workdir DIR]
(a migrated database with the demo, e.g. from `bench/generate.py --size demo --database URL`;
--workdir keeps the collected static files between runs).
"""

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PYTHON, ROOT, TARGETS

PORTS = range(18600, 18700)  # the range this bench's servers take their ports from
READERS_PER_CHARTER = 4
WRITER_CHANGES = 20  # commitments of charter A updated in turn

LUA = """
urls = {%s}
counter = 0
hits = 0
misses = 0
others = 0
request = function()
  counter = counter %% #urls + 1
  return wrk.format("GET", urls[counter])
end
response = function(status, headers, body)
  local mark = headers["X-Cache"]
  if status ~= 200 then others = others + 1
  elseif mark == "HIT" then hits = hits + 1
  elseif mark == "MISS" then misses = misses + 1
  else others = others + 1 end
end
local threads = {}
setup = function(thread) table.insert(threads, thread) end
done = function(summary, latency, requests)
  local h, m, o = 0, 0, 0
  for _, thread in ipairs(threads) do
    h = h + thread:get("hits")
    m = m + thread:get("misses")
    o = o + thread:get("others")
  end
  io.write(string.format("CACHE %%d %%d %%d\\n", h, m, o))
end
"""


def free_port() -> int:
    """A free loopback port in PORTS (the machine is shared: never a fixed one)."""
    for port in random.sample(list(PORTS), len(PORTS)):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("aucun port libre entre 18600 et 18699")


@contextlib.contextmanager
def redis_server():
    """A throw-away Redis (no persistence) on a free port; yields its URL."""
    port = free_port()
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


# --------------------------------------------------------------------------- data (worker Django)


def prepare() -> dict:
    """Two charters (copying the demo one if needed), the pages read and the commitments saved."""
    from bench.generate import CHARTER_SLUG, copy_demo_charter
    from charter.models import ActionPage, CharterPage
    from engagements.models import Commitment
    from engagements.selectors import public_charters

    demo = CharterPage.objects.get(slug=CHARTER_SLUG)
    others = public_charters().exclude(pk=demo.pk).order_by("path")
    other = next(
        (
            charter
            for charter in others
            if Commitment.objects.filter(action__path__startswith=charter.path).exists()
        ),
        None,
    )
    if other is None:
        started = time.perf_counter()
        other, _rows, _seconds = copy_demo_charter(
            demo, number=1, partners=20, commitments=250, rng=random.Random(3)
        )
        print(f"  Seconde charte (copie de la démo) : {time.perf_counter() - started:.1f} s")

    def urls(charter) -> list[str]:
        actions = list(ActionPage.objects.descendant_of(charter).live().order_by("path")[:3])
        partners = (
            Commitment.objects.filter(action__path__startswith=charter.path)
            .values_list("partner__slug", flat=True)
            .distinct()
            .order_by("partner__slug")[:2]
        )
        return [
            charter.url,
            *(action.url for action in actions),
            f"/engagements/{charter.slug}/",
            *(f"/partenaires/{slug}/" for slug in partners),
        ]

    changed = list(
        Commitment.objects.filter(action__path__startswith=demo.path, action__live=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:WRITER_CHANGES]
    )
    return {"a": urls(demo), "b": urls(other), "commitments": changed}


# --------------------------------------------------------------------------- readers


def _wrk(port: int, urls: list[str], seconds: float, script: Path) -> subprocess.Popen:
    quoted = ", ".join(json.dumps(url) for url in urls)
    script.write_text(LUA % quoted)
    return subprocess.Popen(
        [
            shutil.which("wrk"),
            "-t1",
            f"-c{READERS_PER_CHARTER}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "30s",
            "-H",
            "Host: 127.0.0.1",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wrk_result(process: subprocess.Popen, seconds: float) -> dict:
    output, _ = process.communicate(timeout=seconds + 60)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    hits, misses, others = (int(n) for n in re.search(r"CACHE (\d+) (\d+) (\d+)", output).groups())
    return {"rps": rps, "hits": hits, "misses": misses, "others": others, "tool": "wrk"}


def _python_readers(port: int, urls: list[str], seconds: float) -> dict:
    """Without wrk: threads + http.client, round-robin over the URLs, counting X-Cache."""
    lock = threading.Lock()
    stats = {"hits": 0, "misses": 0, "others": 0}
    deadline = time.monotonic() + seconds

    def loop(offset: int):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        index = offset
        while time.monotonic() < deadline:
            index += 1
            try:
                connection.request("GET", urls[index % len(urls)], headers={"Host": "127.0.0.1"})
                response = connection.getresponse()
                response.read()
                mark = response.getheader("X-Cache") if response.status == 200 else None
            except (OSError, http.client.HTTPException):
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                mark = None
            key = {"HIT": "hits", "MISS": "misses"}.get(mark, "others")
            with lock:
                stats[key] += 1

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(READERS_PER_CHARTER)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = sum(stats.values())
    return {**stats, "rps": total / (time.monotonic() - started), "tool": "python"}


def read_both(port: int, groups: dict[str, list[str]], seconds: float, workdir: Path) -> dict:
    """Both charters' pages read at the same time, one load generator each."""
    if shutil.which("wrk"):
        running = {
            name: _wrk(port, urls, seconds, workdir / f"campaign-{name}.lua")
            for name, urls in groups.items()
        }
        return {name: _wrk_result(process, seconds) for name, process in running.items()}
    results: dict = {}
    threads = [
        threading.Thread(
            target=lambda n=name, u=urls: results.__setitem__(n, _python_readers(port, u, seconds))
        )
        for name, urls in groups.items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


# --------------------------------------------------------------------------- writer process


def _fresh(port: int, slug: str, token: str, save: int, every: int) -> bool:
    """Whether the partner page shows this save's text (or a later save of that commitment)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("GET", f"/partenaires/{slug}/", headers={"Host": "127.0.0.1"})
        body = connection.getresponse().read().decode()
    finally:
        connection.close()
    shown = (int(n) for n in re.findall(rf"Point de campagne {token}-(\d+)", body))
    return any(n >= save and n % every == save % every for n in shown)


def writer(ids: list[int], seconds: float, port: int) -> dict:
    """Save one commitment update a second through the service; check each is read fresh.

    The check (the partner page, right after the commit) runs in a thread: it waits in
    gunicorn's queue like any reader, and the saves keep their pace.
    """
    import django

    django.setup()
    from engagements.models import Commitment
    from engagements.services import commitment_update

    print("PRET", flush=True)  # the readers start now, with the writer's first save
    token = f"{os.getpid()}x{int(time.time())}"
    saves, save_ms, checks = 0, [], []
    results: list[bool] = []
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        tick = time.monotonic()
        commitment = Commitment.objects.select_related("partner").get(pk=ids[saves % len(ids)])
        commitment_update(
            commitment=commitment,
            user=None,
            status=commitment.status,
            progress=commitment.progress,
            narrative=f"Point de campagne {token}-{saves}",
            evidence_document=commitment.evidence_document,
            evidence_url=commitment.evidence_url,
            reason="Revue de campagne (banc d'essai)",
            expected_version=None,
        )
        save_ms.append((time.monotonic() - tick) * 1000)
        check = threading.Thread(
            target=lambda s=saves, slug=commitment.partner.slug: results.append(
                _fresh(port, slug, token, s, len(ids))
            )
        )
        check.start()
        checks.append(check)
        saves += 1
        time.sleep(max(0.0, 1.0 - (time.monotonic() - tick)))
    for check in checks:
        check.join()
    return {
        "saves": saves,
        "stale": results.count(False) + (saves - len(results)),
        "save_ms": statistics.median(save_ms or [0]),
    }


# --------------------------------------------------------------------------- orchestration


def campaign(database: str, seconds: float, workdir: Path) -> dict:
    """Readers alone, then readers + writer; hit rates and throughput per charter."""
    from django.db import connections

    from bench.load import Gunicorn

    plan = prepare()
    connections.close_all()
    static_root = workdir / "static_root"
    out: dict = {"urls": {"a": plan["a"], "b": plan["b"]}}
    with redis_server() as redis_url:
        server = Gunicorn(database=database, static_root=static_root, extra=None, cache=300)
        out["workers"] = server.worker_model()
        print(
            f"  Campagne de revue (2 chartes lues sous charge, 1 enregistrement par seconde ; "
            f"gunicorn {out['workers']}) :"
        )
        server.port = free_port()
        server.env["REDIS_URL"] = redis_url
        server.env["CACHE_KEY_PREFIX"] = f"bench-campaign-{os.getpid()}"
        if not (static_root / "staticfiles.json").exists():
            print(f"    collectstatic : {server.collectstatic():.1f} s")
        with server:
            for url in plan["a"] + plan["b"]:
                status = _first_get(server.port, url)
                if status != 200:
                    print(f"  ⚠ {url} : statut {status} ; campagne non mesurée")
                    return out
            for phase in ("alone", "writer"):
                for url in plan["a"] + plan["b"]:  # warm: every page cached before the phase
                    server.get(url)
                process = None
                if phase == "writer":
                    process = subprocess.Popen(
                        [
                            PYTHON,
                            str(Path(__file__).resolve()),
                            "--writer",
                            "--ids",
                            ",".join(map(str, plan["commitments"])),
                            "--seconds",
                            str(seconds),
                            "--port",
                            str(server.port),
                        ],
                        cwd=ROOT,
                        env=server.env,
                        stdout=subprocess.PIPE,
                        text=True,
                    )
                    process.stdout.readline()  # « PRET »: its Django is set up
                out[phase] = read_both(
                    server.port, {"a": plan["a"], "b": plan["b"]}, seconds, workdir
                )
                if process is not None:
                    output, _ = process.communicate(timeout=seconds + 120)
                    out["writes"] = json.loads(output.strip().splitlines()[-1])
    _print(out)
    return out


def _first_get(port: int, url: str) -> int:
    """The status of a first request, with time for a cold worker on a busy machine."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=180)
    try:
        connection.request("GET", url, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def hit_rate(stats: dict) -> float:
    total = stats["hits"] + stats["misses"] + stats["others"]
    return stats["hits"] / total if total else 0.0


def _print(out: dict) -> None:
    for phase, title in (("alone", "lecteurs seuls"), ("writer", "avec l'écrivain")):
        for name, label in (("a", "charte A (modifiée)"), ("b", "charte B")):
            stats = out.get(phase, {}).get(name)
            if stats:
                print(
                    f"    {title:<16} {label:<20} {stats['rps']:7.0f} req/s   "
                    f"{hit_rate(stats):6.1%} HIT ({stats['hits']} HIT, {stats['misses']} MISS, "
                    f"{stats['others']} autres ; {stats['tool']})"
                )
    writes = out.get("writes")
    if writes:
        print(
            f"    écrivain : {writes['saves']} enregistrements "
            f"(médiane {writes['save_ms']:.0f} ms), {writes['stale']} page(s) périmée(s) "
            "lue(s) juste après"
        )


def targets(out: dict, size: str) -> list[tuple[bool | None, str]]:
    """The campaign's lines for the summary: (ok, text)."""
    alone, busy, writes = out.get("alone"), out.get("writer"), out.get("writes")
    if not (alone and busy and writes):
        return []
    b_hits = hit_rate(busy["b"])
    ratio = busy["b"]["rps"] / max(alone["b"]["rps"], 0.001)
    return [
        (
            b_hits >= TARGETS["campaign_other_hits"],
            f"campagne : pages de la charte B en cache pendant les écritures dans A ({size}) :"
            f" {b_hits:.1%} HIT (cible ≥ 95 %)",
        ),
        (
            ratio >= TARGETS["campaign_other_rps"],
            f"campagne : débit de la charte B avec / sans écrivain ({size}) : "
            f"{busy['b']['rps']:.0f} / {alone['b']['rps']:.0f} req/s = {ratio:.0%} (cible ≥ 90 %)",
        ),
        (
            writes["stale"] == 0 and writes["saves"] > 0,
            f"campagne : aucune page périmée juste après un enregistrement ({size}) : "
            f"{writes['stale']} sur {writes['saves']}",
        ),
        (
            None,
            f"campagne : charte A pendant les écritures ({size}) : {hit_rate(busy['a']):.1%} HIT,"
            f" {busy['a']['rps']:.0f} req/s (sans écrivain : {alone['a']['rps']:.0f} req/s)",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="DATABASE_URL of a migrated database with the demo")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--workdir", help="kept between runs (collectstatic once)")
    parser.add_argument("--writer", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--ids", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.writer:
        ids = [int(pk) for pk in args.ids.split(",")]
        print(json.dumps(writer(ids, args.seconds, args.port)))
        return
    from bench.in_process import _setup_django

    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="bench-campaign-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        _setup_django(args.database, workdir)
        out = campaign(args.database, args.seconds, workdir)
        for ok, text in targets(out, "campagne"):
            word = "info" if ok is None else ("PASS" if ok else "MISS")
            print(f"  [{word}] {text}")
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
