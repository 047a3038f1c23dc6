"""Import files built for the tests (the import's own tests never read `bench`)."""

import csv
import io

from charter.models import ActionPage, Partner
from engagements.models import Commitment


def commitments_import_csv(charter, rows: int) -> bytes:
    """A CSV of `rows` commitments of the charter: one in ten updates an existing one."""
    actions = [a.code for a in ActionPage.objects.descendant_of(charter).order_by("number")]
    partners = sorted(
        {p.slug for p in Partner.objects.filter(commitments__action__path__startswith=charter.path)}
    )
    existing = list(
        Commitment.objects.for_charter(charter)
        .order_by("pk")
        .values_list("partner__slug", "action__code", "position")[: rows // 10]
    )
    top = Commitment.objects.for_charter(charter).order_by("-position").first()
    start = (top.position if top else 0) + 1
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["charte", "partenaire", "action", "rang", "engagement", "statut"])
    for partner, action, position in existing:
        writer.writerow([charter.slug, partner, action, position, "Engagement mis à jour", ""])
    combos = len(partners) * len(actions)
    for number in range(rows - len(existing)):
        writer.writerow(
            [
                charter.slug,
                partners[number % len(partners)],
                actions[(number // len(partners)) % len(actions)],
                start + number // combos,
                f"Engagement importé n° {number + 1}",
                "not_started",
            ]
        )
    return out.getvalue().encode()
