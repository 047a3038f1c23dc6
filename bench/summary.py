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
    for key, label in (("uncached", "page charte non cachée"), ("cached", "page charte cachée")):
        cells = [f"{r.get('load', {}).get(key, {}).get('rps', 0):.0f} req/s" for r in results]
        print(f"{label:<44}" + "".join(f"{c:>26}" for c in cells))
    cells = [f"{r.get('load', {}).get('static', {}).get('rps', 0):.0f} req/s" for r in results]
    print(f"{'fichier statique (plafond)':<44}" + "".join(f"{c:>26}" for c in cells))
    reference_rows(results)
    cells = [f"{r.get('load', {}).get('rss_mb', 0):.0f} Mo" for r in results]
    print(f"{'mémoire max. d’un worker gunicorn':<44}" + "".join(f"{c:>26}" for c in cells))

    print("\nCibles :")
    # 1. Query counts independent of the data size.
    for label in labels:
        counts = {
            r["size"]: r["timings"][label]["queries"]
            for r in results
            if label in r["timings"] and not r["timings"][label].get("skipped")
        }
        if label.startswith(("Export DOCX", "Import")):
            continue
        ok = None if len(counts) < 2 else len(set(counts.values())) == 1
        detail = ", ".join(f"{k} {v}" for k, v in counts.items())
        print(f"  [{_word(ok)}] requêtes SQL indépendantes de la taille — {label} : {detail}")
    # 2. Dashboard under 300 ms at 10,000 commitments on PostgreSQL.
    for r in results:
        if r["commitments"] < 10_000:
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
    for r in results:
        load = r.get("load") or {}
        # 3. Cached page at least half the static throughput.
        if load.get("cached") and load.get("static"):
            ratio = load["cached"]["rps"] / max(load["static"]["rps"], 0.001)
            note = "" if load.get("cache_module") else " (pages/cache.py absent : pas de cache)"
            print(
                f"  [{_word(ratio >= TARGETS['cached_vs_static'])}] page cachée ≥ "
                f"{TARGETS['cached_vs_static']:.0%} du "
                f"statique ({r['size']}) : {load['cached']['rps']:.0f} / "
                f"{load['static']['rps']:.0f} req/s = {ratio:.0%}{note}"
            )
        # 4. Worker memory.
        if load.get("rss_mb"):
            print(
                f"  [{_word(load['rss_mb'] < TARGETS['rss_mb'])}] mémoire d'un worker < 300 Mo "
                f"({r['size']}) : {load['rss_mb']:.0f} Mo"
            )
        # 5. Import dry-run.
        item = r["timings"].get("Import 10 000 lignes (simulation)")
        if item and not item.get("skipped"):
            seconds = item["median_ms"] / 1000
            print(
                f"  [{_word(seconds < TARGETS['import_s'])}] import de 10 000 lignes en simulation"
                f" < 20 s ({r['size']}) : {seconds:.1f} s"
            )
        _import_and_national_targets(r)
        # 6. Issue 19: the reference servers (bench/reference.py).
        reference_targets(r)
        # 7. Load errors.
        kinds = ("uncached", "cached", "static", "home_uncached", "wagtail_reference", "hello")
        errors = sum(load.get(k, {}).get("errors", 0) for k in kinds)
        if load:
            print(f"  [{_word(errors == 0)}] aucune erreur sous charge ({r['size']}) : {errors}")
    # 8. Campaign simulation (bench/campaign.py): the other charter stays cached.
    for r in results:
        for ok, text in campaign_targets(r.get("campaign") or {}, r["size"]):
            print(f"  [{'info' if ok is None else _word(ok)}] {text}")


def _import_and_national_targets(r: dict) -> None:
    """The real 10,000-row import < 60 s; at national size the committee dashboard < 1 s."""
    for label, item in r["timings"].items():
        if label.startswith("Import") and "réel" in label and not item.get("skipped"):
            seconds = item["median_ms"] / 1000
            print(
                f"  [{_word(seconds < TARGETS['import_real_s'])}] {label} < 60 s ({r['size']}) :"
                f" {seconds:.1f} s, {item['queries']} requêtes"
            )
    if r["size"] != "national":
        return
    for label, item in r["timings"].items():
        if label.startswith("Tableau de bord") and not item.get("skipped"):
            ok = item["median_ms"] < TARGETS["national_dashboard_ms"]
            print(
                f"  [{_word(ok)}] {label} < 1 s à la taille nationale : {item['median_ms']:.1f} ms"
                f", {item['queries']} requêtes"
            )
