"""Named reads of published content only, as flat records (no user, no e-mail, no internal note).

The point d'avancement (`Commitment.narrative`) is public, with its date; `internal_note` never is.
"""

from decimal import Decimal

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from charter.models import ActionPage, CharterPage, OrientationPage, Partner
from engagements.choices import CommitmentStatus
from engagements.models import Commitment, is_overdue_on
from engagements.selectors import (
    public_evidence,
    public_progress_note_dates,
    with_public_evidence,
)
from glossary.models import LexiconEntry
from monitoring.models import IndicatorValue

LICENCE = "Licence Ouverte / Open Licence version 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


def live_charters() -> QuerySet[CharterPage]:
    """Published charters (and plans): `CharterPage.objects.public()`, in tree order."""
    return CharterPage.objects.public().order_by("path")


def _under(charters, field: str = "path") -> Q:
    query = Q(pk__in=[])
    for charter in charters:
        query |= Q(**{f"{field}__startswith": charter.path})
    return query


def published_actions(charters=None) -> QuerySet[ActionPage]:
    charters = list(live_charters() if charters is None else charters)
    return ActionPage.objects.public().filter(_under(charters)).order_by("path")


def published_orientations(charters=None) -> QuerySet[OrientationPage]:
    charters = list(live_charters() if charters is None else charters)
    return OrientationPage.objects.public().filter(_under(charters)).order_by("path")


def published_commitments(charters=None) -> QuerySet[Commitment]:
    """Public commitments (`Commitment.objects.public()`) of the given published charters."""
    charters = list(live_charters() if charters is None else charters)
    return with_public_evidence(
        Commitment.objects.public()
        .filter(_under(charters, "action__path"))
        .select_related("partner", "action")
        .prefetch_related("co_partners")
        .order_by("action__path", "partner__name", "position", "pk")
    )


def _charter_of(path: str, charters: list[CharterPage]) -> CharterPage | None:
    return next((c for c in charters if path.startswith(c.path)), None)


def commitment_records(queryset=None, charters=None) -> list[dict]:
    """One flat record per published commitment (4 queries, 5 if some are closed and noted).

    A shared commitment is one record, under its porteur (`partenaire`), its co-partners in
    `partenaires_associes`: every total over the records counts it once.
    """
    charters = list(live_charters() if charters is None else charters)
    queryset = published_commitments(charters) if queryset is None else queryset
    orientations = {o.path: o for o in published_orientations(charters)}
    today = timezone.localdate()
    commitments = list(queryset)  # from `published_commitments`: with its public evidence
    public_progress_note_dates(commitments=commitments)  # the partner page's dates (1 query)
    records = []
    for commitment in commitments:
        action = commitment.action
        charter = _charter_of(action.path, charters)
        orientation = orientations.get(action.path[: -ActionPage.steplen])
        # Only evidence its partner published, on a commitment « Réalisé » (one rule).
        evidence = public_evidence(commitment) or {}
        records.append(
            {
                "id": commitment.pk,
                "code": f"{charter.slug}/{action.code}/{commitment.partner.slug}/"
                f"{commitment.position}",
                "charte": charter.slug,
                "orientation": orientation.number if orientation else None,
                "orientation_titre": orientation.title if orientation else "",
                "action": action.code,
                "action_titre": action.title,
                "partenaire": commitment.partner.slug,
                "partenaire_nom": commitment.partner.name,
                "partenaires_associes": ";".join(
                    sorted(partner.slug for partner in commitment.co_partners.all())
                ),
                "rang": commitment.position,
                "engagement": commitment.text,
                "statut": commitment.status,
                "statut_libelle": CommitmentStatus(commitment.status).label,
                "avancement": commitment.progress,
                "echeance": commitment.due_date,
                "point_avancement": commitment.narrative,
                "point_avancement_date": commitment.progress_note_date,
                "en_retard": is_overdue_on(
                    due_date=commitment.due_date, status=commitment.status, today=today
                ),
                "justificatif_url": evidence.get("url", ""),
                "mis_a_jour_le": timezone.localtime(commitment.updated_at).date(),
            }
        )
    return records


def published_partners(charters=None) -> QuerySet[Partner]:
    """Partners that sign or commit in a published charter."""
    charters = list(live_charters() if charters is None else charters)
    ids = set(
        published_commitments(charters).values_list("partner_id", flat=True).distinct()
    ) | set(
        Partner.objects.filter(signatory_entries__charter__in=charters).values_list("pk", flat=True)
    )
    return Partner.objects.filter(pk__in=ids).order_by("name")


def partner_records(queryset=None) -> list[dict]:
    queryset = published_partners() if queryset is None else queryset
    return [
        {
            "identifiant": partner.slug,
            "nom": partner.name,
            "sigle": partner.short_name,
            "categorie": partner.kind,
            "categorie_libelle": partner.get_kind_display(),
            "site_internet": partner.website,
        }
        for partner in queryset
    ]


def published_lexicon(charters=None) -> QuerySet[LexiconEntry]:
    charters = list(live_charters() if charters is None else charters)
    return (
        LexiconEntry.objects.filter(charter__in=charters)
        .select_related("charter")
        .order_by("charter__path", "term")
    )


def lexicon_records(queryset=None) -> list[dict]:
    queryset = published_lexicon() if queryset is None else queryset
    return [
        {
            "id": entry.pk,
            "charte": entry.charter.slug,
            "sigle": entry.term,
            "definition": entry.definition,
        }
        for entry in queryset
    ]


def public_value(value: Decimal | None) -> Decimal | None:
    """The value, or None for a small count (statistical secrecy)."""
    if value is None or not 0 < value < settings.INDICATOR_PUBLIC_MIN_COUNT:
        return value
    return None


def indicator_records() -> list[dict]:
    """Yearly values of indicators not tied only to unpublished actions (2 queries)."""
    live_action_ids = set(published_actions().values_list("pk", flat=True))
    values = (
        IndicatorValue.objects.select_related("indicator")
        .prefetch_related("indicator__actions")
        .order_by("indicator__name", "year")
    )
    records = []
    for value in values:
        indicator = value.indicator
        action_ids = {a.pk for a in indicator.actions.all()}
        if action_ids and not action_ids & live_action_ids:
            continue
        shown = public_value(value.value)
        records.append(
            {
                "id": value.pk,
                "indicateur_id": indicator.pk,
                "indicateur": indicator.name,
                "unite": indicator.unit,
                "nature": indicator.kind,
                "annee": value.year,
                "valeur": shown,
                "valeur_masquee": value.value is not None and shown is None,
                "commentaire": value.narrative,
                "source": value.source,
                "date_de_la_donnee": value.recorded_on,
            }
        )
    return records
