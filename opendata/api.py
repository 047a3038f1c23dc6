"""Read-only JSON API of published content (/api/v2/), paginated and filterable.

Plain Django views on the same selectors as the open-data files, so that the API and the files
apply the same rules: published content only, no owner, no user, no internal note.
"""

import datetime
from decimal import Decimal

from django.db.models import Q
from django.http import Http404, JsonResponse
from django.views.decorators.http import require_GET

from charter.choices import DocumentType, PartnerKind
from charter.models import CharterPage
from charter.selectors import public_status
from core import params as query
from core.params import BadParameter
from engagements.choices import CommitmentStatus

from .selectors import (
    LICENCE,
    commitment_records,
    lexicon_records,
    live_charters,
    partner_records,
    published_actions,
    published_commitments,
    published_lexicon,
    published_orientations,
    published_partners,
)

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
FILTERS = {
    "chartes": ["type"],
    "orientations": ["charte"],
    "actions": ["charte", "orientation"],
    "engagements": ["charte", "partenaire", "action", "statut", "en_retard"],
    "partenaires": ["categorie", "charte"],
    "lexique": ["charte", "sigle"],
}
OVERDUE = {"true": True, "1": True, "oui": True, "false": False, "0": False, "non": False}


def _json(payload, status=200) -> JsonResponse:
    response = JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _charters(request) -> list[CharterPage]:
    charters = list(live_charters())
    wanted = query.text(request.GET, "charte")
    if wanted:
        charters = [c for c in charters if wanted in (c.slug, str(c.pk))]
        if not charters:
            raise BadParameter(f"Charte inconnue ou non publiée : « {wanted} ».")
    return charters


def _charter_record(charter: CharterPage) -> dict:
    status = public_status(charter=charter)
    return {
        "id": charter.pk,
        "identifiant": charter.slug,
        "titre": charter.title,
        "type": charter.document_type,
        "territoire": charter.territory,
        "etape": status.value,
        "en_vigueur": status.in_force,
        "avenant_en_preparation": status.amendment_step.value if status.amendment_step else None,
        "date_entree_en_vigueur": charter.start_date,
        "date_fin": charter.end_date,
        "url": charter.url,
    }


def _rows(kind: str, request):
    """(queryset-or-list, to_records) for one endpoint, filtered (BadParameter if a filter is)."""
    params = request.GET
    if kind == "chartes":
        charters = list(live_charters())
        document_type = query.choice(params, "type", DocumentType.values)
        if document_type:
            charters = [c for c in charters if c.document_type == document_type]
        return charters, lambda items: [_charter_record(c) for c in items]
    charters = _charters(request)
    if kind == "orientations":
        queryset = published_orientations(charters)
        return queryset, lambda items: [
            {
                "id": o.pk,
                "charte": next(c.slug for c in charters if o.path.startswith(c.path)),
                "numero": o.number,
                "titre": o.title,
                "url": o.url,
            }
            for o in items
        ]
    if kind == "actions":
        queryset = published_actions(charters)
        orientations = {o.path: o for o in published_orientations(charters)}
        wanted = query.text(params, "orientation")
        if wanted:
            paths = [p for p, o in orientations.items() if str(o.number) == wanted]
            if not paths:
                raise BadParameter(f"Orientation inconnue : « {wanted} ».")
            under = Q(pk__in=[])
            for path in paths:
                under |= Q(path__startswith=path)
            queryset = queryset.filter(under)
        return queryset, lambda items: [
            {
                "id": a.pk,
                "charte": next(c.slug for c in charters if a.path.startswith(c.path)),
                "orientation": orientations[a.path[: -a.steplen]].number
                if a.path[: -a.steplen] in orientations
                else None,
                "code": a.code,
                "titre": a.title,
                "accroche": a.tagline,
                "url": a.url,
            }
            for a in items
        ]
    if kind == "engagements":
        queryset = published_commitments(charters)
        partner = query.text(params, "partenaire")
        if partner:
            if not published_partners(charters).filter(slug=partner).exists():
                raise BadParameter(f"Partenaire inconnu ou non publié : « {partner} ».")
            queryset = queryset.filter(partner__slug=partner)
        action = query.text(params, "action")
        if action:
            if not published_actions(charters).filter(code=action).exists():
                raise BadParameter(f"Action inconnue ou non publiée : « {action} ».")
            queryset = queryset.filter(action__code=action)
        status = query.choice(params, "statut", CommitmentStatus.values)
        if status:
            queryset = queryset.filter(status=status)
        overdue = query.choice(params, "en_retard", OVERDUE)
        if overdue and OVERDUE[overdue]:
            queryset = queryset.overdue()
        elif overdue:
            queryset = queryset.exclude(
                pk__in=published_commitments(charters).overdue().values("pk")
            )
        return queryset, lambda items: commitment_records(items, charters)
    if kind == "partenaires":
        queryset = published_partners(charters)
        category = query.choice(params, "categorie", PartnerKind.values)
        if category:
            queryset = queryset.filter(kind=category)
        return queryset, partner_records
    queryset = published_lexicon(charters)
    acronym = query.text(params, "sigle")
    if acronym:
        queryset = queryset.filter(term__icontains=acronym)
    return queryset, lexicon_records


@require_GET
def root(request):
    """The list of endpoints and their filters."""
    return _json(
        {
            "licence": LICENCE,
            "pagination": {
                "limit": f"1 à {MAX_LIMIT} (défaut {DEFAULT_LIMIT})",
                "offset": f"0 à {query.MAX_INTEGER} (défaut 0)",
            },
            "erreurs": "Un paramètre inconnu, répété ou invalide donne une erreur 400 : "
            '{"message": "…"}.',
            "endpoints": {
                kind: {"url": f"/api/v2/{kind}/", "filtres": filters}
                for kind, filters in FILTERS.items()
            },
        }
    )


@require_GET
def listing(request, kind: str):
    """A page of published records, with meta.total_count, next and previous."""
    try:
        query.only(request.GET, ["limit", "offset", *FILTERS[kind]])
        limit = query.integer(
            request.GET, "limit", default=DEFAULT_LIMIT, minimum=1, maximum=MAX_LIMIT
        )
        offset = query.integer(request.GET, "offset", default=0)
        rows, to_records = _rows(kind, request)
    except BadParameter as error:
        return _json({"message": str(error)}, status=400)
    total = len(rows) if isinstance(rows, list) else rows.count()
    page = to_records(rows[offset : offset + limit]) if offset < total else []
    items = [{key: _plain(value) for key, value in record.items()} for record in page]

    def page_url(start: int) -> str:
        query = request.GET.copy()
        query["offset"], query["limit"] = str(start), str(limit)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return _json(
        {
            "meta": {
                "total_count": total,
                "limit": limit,
                "offset": offset,
                "next": page_url(offset + limit) if offset + limit < total else None,
                "previous": page_url(max(offset - limit, 0)) if offset > 0 else None,
            },
            "items": items,
        }
    )


@require_GET
def detail(request, kind: str, key: str):
    """One published record by its id (or identifier for charters and partners)."""
    try:
        query.only(request.GET, FILTERS[kind])
        rows, to_records = _rows(kind, request)
    except BadParameter as error:
        return _json({"message": str(error)}, status=400)
    if isinstance(rows, list):
        found = [r for r in rows if key in (str(r.pk), r.slug)]
    elif kind == "partenaires":
        found = list(rows.filter(slug=key))
    elif key.isascii() and key.isdigit() and int(key) < 2**63:  # a database id ("²" is a digit)
        found = list(rows.filter(pk=int(key)))
    else:
        found = []
    if not found:
        raise Http404("Enregistrement introuvable ou non publié.")
    return _json({key_: _plain(v) for key_, v in to_records(found)[0].items()})
