"""The small synthetic charter every test runs on (loaded once per session by conftest.py).

Built by the apps' factories, never by parsing: an OCR rule change cannot move it. Hand-countable:

- a charter « charte-synthetique » (published, in force): 3 orientations, 6 actions (two per
  orientation, numbered 1 to 6), 6 partners (CAF and ADIL 75 among them), 20 commitments in
  every status (4 overdue; 6 of CAF, 4 of ADIL 75), 7 lexicon entries, 6 signatories
  (2 co-pilots), 6 signatures, 1 declaration (UPT);
- a plan « plan-departemental » (document type plan): orientation 3 with fiches 3-1 to 3-4
  (3-1 links to the three others, 3-3 to 3-4), 3 indicators linked to its fiches.
"""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from charter.choices import CharterStatus, DocumentType, PartnerKind, SignatureStatus
from charter.services import signature_record
from charter.tests.factories import (
    PartnerFactory,
    action_page,
    charter_page,
    orientation_page,
    signatories_set,
)
from engagements.choices import CommitmentStatus as S
from engagements.documents import partner_documents_sync
from engagements.models import Commitment
from glossary.models import LexiconEntry
from monitoring.choices import IndicatorKind
from monitoring.tests.factories import IndicatorFactory

CHARTER_SLUG = "charte-synthetique"
PLAN_SLUG = "plan-departemental"
START_DATE = datetime.date(2020, 1, 15)

# (name, short name, slug, kind)
PARTNERS = [
    ("Préfecture de Testville", "Préfecture", "prefecture", PartnerKind.STATE),
    ("Département de Testville", "Département", "departement", PartnerKind.LOCAL_AUTHORITY),
    ("Caisse d'allocations familiales", "CAF", "caf", PartnerKind.SOCIAL_BODY),
    (
        "Agence départementale d'information sur le logement",
        "ADIL 75",
        "adil-75",
        PartnerKind.ASSOCIATION,
    ),
    ("Office public de l'habitat de Testville", "OPH", "oph", PartnerKind.LANDLORD),
    ("Union des propriétaires de Testville", "UPT", "upt", PartnerKind.PROFESSIONAL_FEDERATION),
]
ORIENTATIONS = {
    1: "Prévenir les impayés de loyer",
    2: "Coordonner les acteurs de la prévention",
    3: "Accompagner les ménages jusqu'au relogement",
}
ACTIONS = {  # number: (orientation, title)
    1: (1, "Informer les locataires dès le premier impayé"),
    2: (1, "Mobiliser les aides du fonds de solidarité"),
    3: (2, "Saisir la CCAPEX des situations complexes"),
    4: (2, "Partager un annuaire des acteurs"),
    5: (3, "Proposer un diagnostic social et financier"),
    6: (3, "Reloger les ménages de bonne foi"),
}
# (partner short name, action number, status, due date in days from today or None, progress)
COMMITMENTS = [
    # CAF's first three (the contributor's own) are not started, without due date.
    ("CAF", 1, S.NOT_STARTED, None, 0),
    ("CAF", 4, S.NOT_STARTED, None, 0),
    ("CAF", 6, S.NOT_STARTED, None, 0),
    ("CAF", 2, S.IN_PROGRESS, -10, 40),  # overdue
    ("CAF", 3, S.ACHIEVED, -20, 100),
    ("CAF", 5, S.BLOCKED, 30, 10),
    ("ADIL 75", 1, S.IN_PROGRESS, 60, 50),
    ("ADIL 75", 2, S.NOT_STARTED, -3, 0),  # overdue
    ("ADIL 75", 4, S.ABANDONED, -40, 0),
    ("ADIL 75", 6, S.ACHIEVED, None, 100),
    ("Préfecture", 3, S.IN_PROGRESS, 90, 30),
    ("Préfecture", 4, S.BLOCKED, -5, 20),  # overdue
    ("Département", 2, S.ACHIEVED, -15, 100),
    ("Département", 5, S.IN_PROGRESS, None, 60),
    ("Département", 6, S.NOT_STARTED, -1, 0),  # overdue
    ("OPH", 1, S.ACHIEVED, None, 100),
    ("OPH", 5, S.IN_PROGRESS, 45, 25),
    ("OPH", 6, S.ABANDONED, None, 0),
    ("UPT", 1, S.NOT_STARTED, None, 0),
    ("UPT", 3, S.IN_PROGRESS, 15, 70),
]
# Texts other than "<partner> s'engage sur l'action <n> : <title>." (a sub-list, an acronym).
TEXTS = {
    ("UPT", 3): (
        "Saisir la CCAPEX dès le début de la procédure pour les situations complexes :\n\n"
        "- les ménages de bonne foi\n"
        "- les occupants sans droit ni titre"
    ),
}
LEXICON = {
    "CAF": "Caisse d'allocations familiales",
    "ADIL": "Agence départementale d'information sur le logement",
    "CCAPEX": "Commission de coordination des actions de prévention des expulsions locatives",
    "CDP": "Commandement de payer",
    "Exploc": "Système d'information de la prévention des expulsions locatives",
    "FSL": "Fonds de solidarité pour le logement",
    "PDALHPD": (
        "Plan départemental d'action pour le logement et l'hébergement des personnes défavorisées"
    ),
}
PLAN_FICHES = {  # code: (title, fiche fields)
    "3-1": (
        "Élaborer la charte de prévention",
        {
            "tagline": "Une charte signée par tous les acteurs",
            "constats": "Les acteurs de la prévention travaillent encore trop séparément.",
            "pilots": "- Préfecture\n- Département",
            "objectives": "- Rédiger la charte\n- La faire signer",
            "evaluation_indicators": "- Nombre de signataires de la charte",
        },
    ),
    "3-2": ("Animer la CCAPEX", {}),
    "3-3": (
        "Créer une cellule technique",
        {
            "constats": "Les situations complexes arrivent trop tard à la CCAPEX.",
            "pilots": "- Département",
            "resources": "Un mi-temps de coordinateur.",
            "legal_framework": "Décret n° 2015-1384 du 30 octobre 2015 relatif à la CCAPEX.",
            "evaluation_indicators": "- Création de la cellule technique",
        },
    ),
    "3-4": (
        "Accompagner les ménages menacés d'expulsion",
        {
            "tagline": "Offrir à tous un accompagnement social",
            "legal_framework": "Loi du 31 mai 1990 visant à la mise en œuvre du droit au logement.",
            "evaluation_indicators": "- Ménages accompagnés par le référent social",
        },
    ),
}
INDICATORS = [  # (name, kind, unit, fiche code)
    ("Nombre de signataires de la charte", IndicatorKind.QUANTITATIVE, "", "3-1"),
    ("Création de la cellule technique", IndicatorKind.QUALITATIVE, "", "3-3"),
    ("Ménages accompagnés par le référent social", IndicatorKind.QUANTITATIVE, "ménages", "3-4"),
]


def build_synthetic_charter(today: datetime.date | None = None) -> SimpleNamespace:
    """Create the synthetic charter and plan (see the module docstring); returns their records."""
    today = today or timezone.localdate()
    partners = {}
    for name, short_name, slug, kind in PARTNERS:
        partners[short_name] = PartnerFactory(
            name=name, short_name=short_name, slug=slug, kind=kind
        )
        partner_documents_sync(partner=partners[short_name])

    charter = charter_page(
        slug=CHARTER_SLUG,
        title="Charte synthétique de prévention des expulsions locatives",
        territory="Testville",
        start_date=START_DATE,
        lifecycle_status=CharterStatus.PUBLISHED,
        in_force=True,
        introduction="Une charte **de test**, construite par les fabriques des tests.",
    )
    orientations = {
        number: orientation_page(charter=charter, number=number, title=title)
        for number, title in ORIENTATIONS.items()
    }
    actions = {
        number: action_page(orientation=orientations[o], number=number, title=title)
        for number, (o, title) in ACTIONS.items()
    }
    positions: dict[tuple[str, int], int] = {}
    commitments = []
    for short_name, number, status, days, progress in COMMITMENTS:
        key = (short_name, number)
        positions[key] = positions.get(key, 0) + 1
        text = TEXTS.get(key) or (
            f"{short_name} s'engage sur l'action {number} : {ACTIONS[number][1].lower()}."
        )
        commitment = Commitment(
            partner=partners[short_name],
            action=actions[number],
            position=positions[key],
            text=text,
            status=status,
            due_date=today + datetime.timedelta(days=days) if days is not None else None,
            progress=progress,
            in_signed_text=True,  # the commitments of the signed text (public history from it)
        )
        commitment._change_reason = "Charte synthétique des tests"
        commitment.save()
        commitments.append(commitment)
    for term, definition in LEXICON.items():
        LexiconEntry.objects.create(charter=charter, term=term, definition=definition)

    signatories_set(
        charter=charter,
        partners=list(partners.values()),
        copilots=(partners["Préfecture"], partners["Département"]),
        declarations=[
            {
                "partner": partners["UPT"],
                "title": "Déclaration de l'Union des propriétaires",
                "text": "L'Union signe **sous réserve** du respect du droit de propriété.",
                "place": "Testville",
                "signed_on": START_DATE,
            }
        ],
    )
    for i, partner in enumerate(partners.values(), start=1):
        signature_record(
            charter=charter,
            partner=partner,
            user=None,
            status=SignatureStatus.SIGNED,
            signer_name=f"Signataire {i}",
            signer_title="Directeur",
            signed_on=START_DATE,
        )

    plan = charter_page(
        slug=PLAN_SLUG,
        title="Plan départemental d'action pour le logement des personnes défavorisées (PDALHPD)",
        territory="Département",
        document_type=DocumentType.PLAN,
        lifecycle_status=CharterStatus.PUBLISHED,
        in_force=True,
    )
    plan_orientation = orientation_page(
        charter=plan, number=3, title="Prévenir les expulsions locatives"
    )
    fiches = {
        code: action_page(
            orientation=plan_orientation,
            number=int(code.split("-")[1]),
            code=code,
            title=title,
            **fields,
        )
        for code, (title, fields) in PLAN_FICHES.items()
    }
    fiche_31 = fiches["3-1"]
    fiche_31.related_actions = [fiches["3-2"], fiches["3-3"], fiches["3-4"]]
    fiche_31.save_revision(clean=False).publish(skip_permission_checks=True)
    fiches["3-3"].related_actions = [fiches["3-4"]]
    fiches["3-3"].save_revision(clean=False).publish(skip_permission_checks=True)
    indicators = []
    for name, kind, unit, code in INDICATORS:
        indicator = IndicatorFactory(name=name, kind=kind, unit=unit)
        indicator.actions.add(fiches[code])
        indicators.append(indicator)
    return SimpleNamespace(
        charter=charter,
        plan=plan,
        partners=partners,
        orientations=orientations,
        actions=actions,
        commitments=commitments,
        fiches=fiches,
        indicators=indicators,
    )


def clear_synthetic_charter() -> None:
    """Delete the charters, partners and what hangs on them (a synthetic charter or the demo)."""
    from wagtail.models import Collection

    from charter.models import CharterPage, Partner, Signature
    from engagements.models import PartnerDocumentSpace
    from monitoring.models import Indicator

    Commitment.objects.all().delete()
    # The fiches' indicators; the procedure series (a data migration) stay.
    Indicator.objects.filter(actions__isnull=False).delete()
    LexiconEntry.objects.all().delete()
    Signature.objects.all().delete()
    for page in CharterPage.objects.all():
        page.delete()
    spaces = list(PartnerDocumentSpace.objects.select_related("collection", "group"))
    for space in spaces:
        if space.group is not None:
            space.group.delete()
        Collection.objects.get(pk=space.collection_id).delete()  # and its space
    # The collective partner « Ensemble des signataires » is the migrations' (engagements 0014).
    Partner.objects.exclude(kind=PartnerKind.COLLECTIVE).delete()
