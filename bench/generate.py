"""Synthetic data for the benchmarks: the demo charter, a large one, a national set of charters.

Sizes (each includes the demo charter, loaded first with `demo.loader.load_demo`):
- demo: the real demo content (14 partners, 24 actions, 228 commitments);
- large: + 100 partners and 10,000 commitments spread over the demo charter's 24 actions, each
  with 10 history rows (simple-history, statuses following the allowed transitions, 2018–2026);
- national: 100 copies of the demo charter tree (real Wagtail pages, `Page.copy`), i.e.
  101 charters, each copy with 20 partners, 250 commitments (one history row each) and the
  demo lexicon.
`scale` multiplies the counts (e.g. 0.1 for a quick run).

Importable (`generate(size=...)` inside a configured Django) or as a command:
    .venv/bin/python bench/generate.py --size large [--scale 0.1] [--database URL]
The command migrates the database first; without --database it builds a throw-away SQLite file.
"""

import argparse
import datetime
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = ("demo", "large", "national")
START = datetime.datetime(2018, 1, 1, 9, 0, tzinfo=datetime.UTC)
END = datetime.datetime(2026, 11, 20, 18, 0, tzinfo=datetime.UTC)
SYNTHETIC_PREFIX = "Partenaire synthétique"
CHARTER_SLUG = "charte-paris-2017"

# What a partner writes, to get realistic lengths (Markdown, two paragraphs at most).
PHRASES = (
    "Informer les ménages en impayé de loyer des aides existantes",
    "Saisir la CCAPEX dès le commandement de payer",
    "Proposer un rendez-vous avec un travailleur social dans le mois",
    "Transmettre les diagnostics sociaux et financiers au juge",
    "Mobiliser le FSL pour le maintien dans le logement",
    "Former les équipes de gestion locative à la prévention",
    "Signaler les situations à la commission de coordination",
    "Proposer un plan d'apurement adapté aux ressources",
    "Participer aux réunions trimestrielles du comité de suivi",
    "Orienter vers l'ADIL pour une information juridique",
)
NARRATIVES = (
    "Réunions tenues avec les bailleurs ; bilan à présenter au prochain comité.",
    "Procédure rédigée, diffusion aux équipes en cours.",
    "Attente des données de la CAF pour l'année écoulée.",
    "- 12 sessions de formation\n- 240 agents formés",
    "",
)


def _instant(rng: random.Random, low: datetime.datetime, high: datetime.datetime):
    span = (high - low).total_seconds()
    return low + datetime.timedelta(seconds=rng.uniform(0, span))


def _text(rng: random.Random, number: int) -> str:
    first, second = rng.sample(PHRASES, 2)
    return f"{first} (engagement n° {number}).\n\n{second}."


def _timeline(rng: random.Random, rows: int):
    """`rows` successive (status, progress, date) states along the allowed transitions."""
    from engagements.choices import COMMITMENT_STATUS_TRANSITIONS, CommitmentStatus

    dates = sorted(_instant(rng, START, END) for _ in range(rows))
    status, progress = CommitmentStatus.NOT_STARTED, 0
    states = [(status.value, progress, dates[0])]
    for when in dates[1:]:
        if rng.random() < 0.35:
            status = rng.choice(sorted(COMMITMENT_STATUS_TRANSITIONS[status]))
        if status == CommitmentStatus.ACHIEVED:
            progress = 100
        elif status == CommitmentStatus.IN_PROGRESS:
            progress = min(95, progress + rng.randint(0, 25))
        states.append((CommitmentStatus(status).value, progress, when))
    return states


def _partners(count: int, *, start: int, rng: random.Random):
    from charter.choices import PartnerKind
    from charter.models import Partner

    kinds = list(PartnerKind.values)
    partners = [
        Partner(
            name=f"{SYNTHETIC_PREFIX} {number:05d}",
            short_name=f"PS{number:05d}",
            slug=f"partenaire-synthetique-{number:05d}",
            kind=rng.choice(kinds),
        )
        for number in range(start, start + count)
    ]
    Partner.objects.bulk_create(partners, batch_size=1000)
    # PKs are set by bulk_create on PostgreSQL and SQLite ≥ 3.35; re-read to be safe.
    names = [p.name for p in partners]
    return list(Partner.objects.filter(name__in=names).order_by("name"))


def _commitments(*, actions, partners, count: int, history_rows: int, rng: random.Random) -> int:
    """Bulk-create `count` commitments (and their history); returns the history rows written."""
    from engagements.models import Commitment

    historical = Commitment.history.model
    fields = [f for f in Commitment._meta.concrete_fields if f.name != "created_at"]
    combos = len(partners) * len(actions)
    written = 0
    batch = 2000
    for offset in range(0, count, batch):
        objects, timelines = [], []
        for number in range(offset, min(count, offset + batch)):
            states = _timeline(rng, history_rows)
            status, progress, when = states[-1]
            objects.append(
                Commitment(
                    partner=partners[number % len(partners)],
                    action=actions[(number // len(partners)) % len(actions)],
                    position=number // combos + 1,
                    text=_text(rng, number + 1),
                    status=status,
                    progress=progress,
                    narrative=rng.choice(NARRATIVES),
                    due_date=(_instant(rng, START, END + datetime.timedelta(days=400))).date(),
                    evidence_url=(
                        f"https://example.org/justificatifs/{number + 1}"
                        if status == "achieved"
                        else ""
                    ),
                    last_reported_at=when,
                    version=len(states),
                )
            )
            timelines.append(states)
        Commitment.objects.bulk_create(objects, batch_size=1000)
        if not objects[0].pk:  # backends that do not return primary keys
            raise RuntimeError("bulk_create did not set primary keys")
        rows = []
        for commitment, states in zip(objects, timelines, strict=True):
            base = {f.attname: getattr(commitment, f.attname) for f in fields}
            for version, (status, progress, when) in enumerate(states, start=1):
                values = {
                    **base,
                    "status": status,
                    "progress": progress,
                    "version": version,
                    "evidence_url": base["evidence_url"] if status == "achieved" else "",
                    "last_reported_at": when if version > 1 else None,
                    "updated_at": when,
                }
                rows.append(
                    historical(
                        **values,
                        history_date=when,
                        history_type="+" if version == 1 else "~",
                        history_change_reason=(
                            "Création de l'engagement" if version == 1 else "Point d'avancement"
                        ),
                    )
                )
        historical.objects.bulk_create(rows, batch_size=2000)
        written += len(rows)
    return written


def _signatories(charter, partners) -> None:
    from charter.choices import SignatoryRole
    from charter.models import Signatory

    start = charter.signatories.count()
    Signatory.objects.bulk_create(
        [
            Signatory(charter=charter, partner=p, role=SignatoryRole.PARTNER, sort_order=start + i)
            for i, p in enumerate(partners)
        ],
        batch_size=1000,
    )


def _demo():
    from charter.models import CharterPage
    from demo.loader import load_demo

    load_demo()
    return CharterPage.objects.get(slug=CHARTER_SLUG)


def generate_large(
    *, partners: int = 100, commitments: int = 10_000, history_rows: int = 10, seed: int = 1
) -> dict:
    """The demo charter plus `partners` partners and `commitments` commitments with history."""
    from django.db import transaction

    from charter.models import ActionPage

    rng = random.Random(seed)
    charter = _demo()
    with transaction.atomic():
        actions = list(ActionPage.objects.descendant_of(charter).order_by("number"))
        new_partners = _partners(partners, start=1, rng=rng)
        _signatories(charter, new_partners)
        history = _commitments(
            actions=actions,
            partners=new_partners,
            count=commitments,
            history_rows=history_rows,
            rng=rng,
        )
    return {"partenaires": partners, "engagements": commitments, "historique": history}


def copy_demo_charter(
    demo, *, number: int, partners: int, commitments: int, rng: random.Random
) -> tuple[object, int, float]:
    """One copy of the demo charter's page tree with its lexicon, `partners` new partners
    (signatories) and `commitments` commitments; returns (the copy, history rows, copy seconds)."""
    from django.db import transaction

    from charter.models import ActionPage, CharterPage
    from glossary.models import LexiconEntry
    from pages.models import HomePage

    with transaction.atomic():
        started = time.perf_counter()
        copy = demo.copy(
            recursive=True,
            to=HomePage.objects.get(),
            update_attrs={
                "slug": f"charte-synthetique-{number:03d}",
                "title": f"Charte synthétique n° {number:03d}",
                "territory": f"Département {number:03d}",
            },
            copy_revisions=False,
            keep_live=True,
            log_action=None,
        )
        copy_seconds = time.perf_counter() - started
        copy = CharterPage.objects.get(pk=copy.pk)
        LexiconEntry.objects.bulk_create(
            [
                LexiconEntry(charter=copy, term=e.term, definition=e.definition)
                for e in LexiconEntry.objects.filter(charter=demo)
            ]
        )
        actions = list(ActionPage.objects.descendant_of(copy).order_by("number"))
        new_partners = _partners(partners, start=number * 1000, rng=rng)
        _signatories(copy, new_partners)
        history = _commitments(
            actions=actions,
            partners=new_partners,
            count=commitments,
            history_rows=1,
            rng=rng,
        )
    return copy, history, copy_seconds


def generate_national(
    *, charters: int = 101, partners: int = 20, commitments: int = 250, seed: int = 2
) -> dict:
    """`charters` charters (the demo one and copies of its page tree), each with its partners."""
    rng = random.Random(seed)
    demo = _demo()
    history = 0
    copy_seconds = 0.0
    for number in range(1, charters):
        _copy, rows, seconds = copy_demo_charter(
            demo, number=number, partners=partners, commitments=commitments, rng=rng
        )
        history += rows
        copy_seconds += seconds
    return {
        "chartes": charters,
        "partenaires": (charters - 1) * partners,
        "engagements": (charters - 1) * commitments,
        "historique": history,
        "copie des arbres de pages (s)": round(copy_seconds, 1),
    }


def analyze() -> None:
    """Refresh PostgreSQL's planner statistics, as autovacuum does soon after a bulk load."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def generate(*, size: str, scale: float = 1.0) -> dict:
    """Build one data size in the current (migrated) database; returns what was created."""
    if size == "demo":
        _demo()
        created = {}
    elif size == "large":
        created = generate_large(
            partners=max(1, round(100 * scale)), commitments=max(1, round(10_000 * scale))
        )
    elif size == "national":
        created = generate_national(charters=max(2, round(1 + 100 * scale)))
    else:
        raise ValueError(f"Unknown size {size!r}; choose one of {', '.join(SIZES)}")
    analyze()
    return created


def counts() -> dict:
    """Row counts of what the benchmarks read."""
    from charter.models import CharterPage, Partner
    from engagements.models import Commitment

    return {
        "chartes": CharterPage.objects.count(),
        "partenaires": Partner.objects.count(),
        "engagements": Commitment.objects.count(),
        "historique": Commitment.history.model.objects.count(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=SIZES, default="demo")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--database", help="DATABASE_URL (default: a throw-away SQLite file)")
    parser.add_argument("--no-migrate", action="store_true")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    if args.database:
        os.environ["DATABASE_URL"] = args.database
    else:
        path = Path(tempfile.mkdtemp(prefix="bench-data-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test")
    import django

    django.setup()
    from django.core.management import call_command

    print(f"Base : {os.environ['DATABASE_URL']}")
    if not args.no_migrate:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrate : {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    created = generate(size=args.size, scale=args.scale)
    print(
        f"Génération « {args.size} » (échelle {args.scale}) : {time.perf_counter() - started:.1f} s"
    )
    for name, value in {**created, **{f"total {k}": v for k, v in counts().items()}}.items():
        print(f"  {name} : {value}")


if __name__ == "__main__":
    main()
