"""Reference servers of the load figures (issue 19): a minimal Wagtail page, a bare WSGI app.

* `create_reference_page()`: a stock `wagtail.models.Page` (template wagtailcore/page.html, a few
  lines) under the home page of the bench's throw-away database only — never in a real
  database, no URL added to the project. Served by the same gunicorn, settings and middleware
  as the site's pages: the uncached home page should be at least as fast.
* `hello_app`: a bare WSGI « hello world » answering a body of `BENCH_HELLO_BYTES` bytes (the
  size of the static file), served by the same gunicorn command: what a request costs with no
  Django at all. The static file (Django's middleware chain + whitenoise) should reach half of it.
"""

import os

from bench.load import Gunicorn, _print_load, load

REFERENCE_SLUG = "banc-reference-wagtail"


def create_reference_page() -> str:
    """The URL of a published stock Wagtail page under the home page (created if absent)."""
    from wagtail.models import Page, Site

    root = Site.objects.get(is_default_site=True).root_page
    page = Page.objects.child_of(root).filter(slug=REFERENCE_SLUG).first()
    if page is None:
        page = root.add_child(instance=Page(title="Page Wagtail de référence", slug=REFERENCE_SLUG))
        page.save_revision().publish()
    return page.url


def hello_app(environ, start_response):
    """WSGI: the same bytes for every request, of the static file's size."""
    size = int(os.environ.get("BENCH_HELLO_BYTES", "12"))
    body = (b"Hello world\n" * (size // 12 + 1))[:size]
    start_response(
        "200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(size))]
    )
    return [body]


class HelloGunicorn(Gunicorn):
    """The same gunicorn command (2 sync workers, loopback) serving `hello_app`."""

    app = "bench.reference:hello_app"

    def __init__(self, *, size: int, **kwargs):
        super().__init__(**kwargs)
        self.env["BENCH_HELLO_BYTES"] = str(size)


def uncached_references(server: Gunicorn, reference_url: str | None, seconds: float) -> dict:
    """Throughput of the uncached home page and of the stock Wagtail page, same server."""
    out = {}
    for key, label, path in (
        ("home_uncached", "Accueil, sans cache", "/"),
        ("wagtail_reference", "Page Wagtail minimale (référence)", reference_url),
    ):
        if not path:
            continue
        status, _body, _headers = server.get(path)
        if status != 200:
            print(f"  ⚠ {path} : statut {status} ; non mesuré")
            continue
        for _ in range(5):
            server.get(path)
        out[key] = load(server.port, path, seconds)
        _print_load(label, out[key])
    return out


def hello_world(*, size: int, database: str, workdir, seconds: float) -> dict:
    """Throughput of the bare WSGI app answering `size` bytes."""
    server = HelloGunicorn(
        size=size, database=database, static_root=workdir / "static_root", extra=None, cache=0
    )
    with server:
        status, body, _headers = server.get("/")
        if status != 200 or len(body) != size:
            print(f"  ⚠ hello world : statut {status}, {len(body)} octets")
            return {}
        stats = load(server.port, "/", seconds)
    _print_load(f"« Hello world » WSGI nu ({size} octets)", stats)
    return stats


# --------------------------------------------------------------------------- summary


def _word(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "MISS")


def reference_rows(results: list[dict]) -> None:
    """The reference figures beside the summary's load rows."""
    for key, label in (
        ("home_uncached", "accueil non caché"),
        ("wagtail_reference", "page Wagtail minimale (référence)"),
        ("hello", "« hello world » WSGI nu (même taille)"),
    ):
        cells = [
            f"{r['load'].get(key, {}).get('rps', 0):.0f} req/s" if r.get("load") else "—"
            for r in results
        ]
        print(f"{label:<44}" + "".join(f"{c:>26}" for c in cells))


def _ratio_line(ok_ratio: float, label: str, sizes: list[tuple]) -> None:
    """One line for every size measured under load: PASS when each ratio reaches `ok_ratio`."""
    if not sizes:
        return
    cells, oks = [], []
    for size, top, bottom in sizes:
        if not top or not bottom:
            cells.append(f"{size} non mesuré")
            oks.append(None)
            continue
        ratio = top["rps"] / max(bottom["rps"], 0.001)
        cells.append(f"{size} {top['rps']:.0f} / {bottom['rps']:.0f} req/s = {ratio:.2f}")
        oks.append(ratio >= ok_ratio)
    ok = None if None in oks else all(oks)
    print(f"  [{_word(ok)}] {label} : " + ", ".join(cells) + f" (cible ≥ {ok_ratio:g})")


def reference_targets(results: list[dict]) -> None:
    """Issue 19's targets: the charter page's median (one per size), the ratios under load."""
    from bench.common import TARGETS

    home, static = [], []
    for result in results:
        size = result["size"]
        limit = TARGETS["charter_ms"].get(size)
        charter = next(
            (
                v
                for k, v in result["timings"].items()
                if k.startswith("Charte ") and "skipped" not in v
            ),
            None,
        )
        if limit and charter:
            ok = charter["median_ms"] <= limit
            print(
                f"  [{_word(ok)}] page charte non cachée ≤ {limit:g} ms ({size}, en processus,"
                f" médiane) : {charter['median_ms']:.1f} ms"
            )
        load = result.get("load") or {}
        if load:
            home.append((size, load.get("home_uncached"), load.get("wagtail_reference")))
            static.append((size, load.get("static"), load.get("hello")))
    _ratio_line(TARGETS["home_vs_wagtail"], "accueil non caché ≥ page Wagtail minimale", home)
    _ratio_line(
        TARGETS["static_vs_hello"],
        f"fichier statique ≥ {TARGETS['static_vs_hello']:g} × « hello world » nu",
        static,
    )
