"""The summary `make bench` prints last: every size side by side, then each target."""

from bench.campaign import targets as campaign_targets
from bench.common import AS_OF, TARGETS
from bench.reference import reference_rows, reference_targets


def _word(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "MISS")


def summary(results: list[dict], backend: str) -> None:
    """The figures of every size side by side, then each target with PASS or MISS."""
    if not results:
        return
    print("===== Résumé =====")
    names = [r["size"] for r in results]
    print(f"Base : {backend}")
    header = f"{'mesure':<44}" + "".join(f"{n:>26}" for n in names)
    print(header)
    labels = []
    for result in results:
        for label in result["timings"]:
            if label not in labels:
                labels.append(label)
    for label in labels:
        cells = []
        for result in results:
            item = result["timings"].get(label)
            if item is None or item.get("skipped"):
                cells.append("ignoré")
            else:
                cells.append(f"{item['queries']} req. {item['median_ms']:.1f} ms")
        print(f"{label:<44}" + "".join(f"{c:>26}" for c in cells))
    for key, label in (
        ("uncached", "page charte non cachée"),
        ("cached", "page charte cachée"),
        ("static", "fichier statique (plafond)"),
    ):
        print(f"{label:<44}" + "".join(f"{c:>26}" for c in load_cells(results, key)))
    reference_rows(results)
    cells = [f"{r['load'].get('rss_mb', 0):.0f} Mo" if r.get("load") else "—" for r in results]
    print(f"{'mémoire max. d’un worker gunicorn':<44}" + "".join(f"{c:>26}" for c in cells))

    print("\nCibles (chacune une fois, toutes tailles) :")
    _query_targets(results, labels)
    _dashboard_target(results, backend)
    _load_targets(results)
    for r in results:
        item = r["timings"].get("Import 10 000 lignes (simulation)")
        if item and not item.get("skipped"):
            seconds = item["median_ms"] / 1000
            print(
                f"  [{_word(seconds < TARGETS['import_s'])}] import de 10 000 lignes en simulation"
                f" < 20 s ({r['size']}) : {seconds:.1f} s"
            )
        _import_target(r)
    _national_target(results)
    # Issue 19: the charter page's median per size, the reference servers (bench/reference.py).
    reference_targets(results)
    # Campaign simulation (bench/campaign.py): the other charter stays cached.
    for r in results:
        for ok, text in campaign_targets(r.get("campaign") or {}, r["size"]):
            print(f"  [{'info' if ok is None else _word(ok)}] {text}")


def load_cells(results: list[dict], key: str) -> list[str]:
    """A load row's cells: req/s, or « — » for a size measured without load (national)."""
    return [
        f"{r['load'].get(key, {}).get('rps', 0):.0f} req/s" if r.get("load") else "—"
        for r in results
    ]


def _query_targets(results: list[dict], labels: list[str]) -> None:
    """Query counts independent of the data size: one line per page, every size's count."""
    for label in labels:
        counts = {
            r["size"]: r["timings"][label]["queries"]
            for r in results
            if label in r["timings"] and not r["timings"][label].get("skipped")
        }
        if label.startswith(("Export DOCX", "Import")) or len(counts) < 2:
            continue
        ok = len(set(counts.values())) == 1
        detail = ", ".join(f"{k} {v}" for k, v in counts.items())
        print(f"  [{_word(ok)}] requêtes SQL indépendantes de la taille — {label} : {detail}")


def _dashboard_target(results: list[dict], backend: str) -> None:
    """The committee dashboard under 300 ms at 10,000 commitments of one charter (`large`)."""
    for r in results:
        if r["commitments"] < 10_000 or r["size"] == "national":
            continue
        for label in ("Tableau de bord du comité", f"Tableau de bord, état au {AS_OF}"):
            item = r["timings"].get(label)
            if not item or item.get("skipped"):
                continue
            ok = item["median_ms"] < TARGETS["dashboard_ms"]
            note = "" if backend == "PostgreSQL" else " (cible définie sur PostgreSQL : indicatif)"
            print(
                f"  [{_word(ok)}] {label} < 300 ms à {r['commitments']} engagements ({r['size']}) :"
                f" {item['median_ms']:.1f} ms{note}"
            )


def _all_sizes(label: str, cells: dict[str, tuple[bool, str]]) -> None:
    """One target measured at several sizes: one line, PASS when every size passes."""
    if cells:
        ok = all(passed for passed, _ in cells.values())
        print(f"  [{_word(ok)}] {label} : " + ", ".join(f"{k} {v}" for k, (_, v) in cells.items()))


def _load_targets(results: list[dict]) -> None:
    """Under load: cached page vs static file, worker memory, errors (sizes with a load)."""
    cached, memory, errors = {}, {}, {}
    kinds = ("uncached", "cached", "static", "home_uncached", "wagtail_reference", "hello")
    for r in results:
        load = r.get("load") or {}
        if not load:
            continue
        if load.get("cached") and load.get("static"):
            ratio = load["cached"]["rps"] / max(load["static"]["rps"], 0.001)
            note = "" if load.get("cache_module") else " (pages/cache.py absent)"
            cached[r["size"]] = (
                ratio >= TARGETS["cached_vs_static"],
                f"{load['cached']['rps']:.0f} / {load['static']['rps']:.0f} req/s = "
                f"{ratio:.0%}{note}",
            )
        if load.get("rss_mb"):
            memory[r["size"]] = (load["rss_mb"] < TARGETS["rss_mb"], f"{load['rss_mb']:.0f} Mo")
        count = sum(load.get(k, {}).get("errors", 0) for k in kinds)
        errors[r["size"]] = (count == 0, str(count))
    workers = {
        r["size"]: r["load"]["workers"] for r in results if (r.get("load") or {}).get("workers")
    }
    if workers:
        print("  (gunicorn : " + ", ".join(f"{k} {v}" for k, v in workers.items()) + ")")
    _all_sizes(f"page cachée ≥ {TARGETS['cached_vs_static']:.0%} du fichier statique", cached)
    _all_sizes("mémoire d'un worker < 300 Mo", memory)
    _all_sizes("aucune erreur sous charge", errors)


def _import_target(r: dict) -> None:
    """The real 10,000-row import < 60 s."""
    for label, item in r["timings"].items():
        if label.startswith("Import") and "réel" in label and not item.get("skipped"):
            seconds = item["median_ms"] / 1000
            print(
                f"  [{_word(seconds < TARGETS['import_real_s'])}] {label} < 60 s ({r['size']}) :"
                f" {seconds:.1f} s, {item['queries']} requêtes"
            )


def _national_target(results: list[dict]) -> None:
    """At national size, the committee dashboard < 1 s (Paris, every charter, « état au »)."""
    for r in results:
        if r["size"] != "national":
            continue
        items = {
            label: item
            for label, item in r["timings"].items()
            if label.startswith("Tableau de bord") and not item.get("skipped")
        }
        if not items:
            continue
        ok = all(item["median_ms"] < TARGETS["national_dashboard_ms"] for item in items.values())
        charters = r.get("counts", {}).get("chartes", "?")
        names = {
            "Tableau de bord du comité": "Paris choisie",
            "Tableau de bord du comité (toutes chartes)": "toutes chartes",
        }
        detail = ", ".join(
            f"{names.get(label, label.removeprefix('Tableau de bord, '))} "
            f"{item['median_ms']:.0f} ms ({item['queries']} req.)"
            for label, item in items.items()
        )
        scale = f", échelle {r['scale']:g}" if r.get("scale", 1) != 1 else ""
        print(
            f"  [{_word(ok)}] tableau de bord du comité < 1 s à {charters} chartes (national"
            f"{scale}) : {detail}"
        )
