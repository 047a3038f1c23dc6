"""Enumerations of the charter app (labels in French)."""

from django.db import models


class CharterStatus(models.TextChoices):
    """The charter's legal life cycle (décret n° 2016-393)."""

    DRAFT = "draft", "Projet en rédaction"
    CCAPEX_CONSULTATION = "ccapex_consultation", "Soumise à l'avis de la CCAPEX"
    COREP_VALIDATED = "corep_validated", "Validée par le COREP du PDALHPD"
    APPROVED = "approved", "Approuvée par les co-pilotes"
    SIGNED = "signed", "Signée"
    PUBLISHED = "published", "Publiée"
    SUPERSEDED = "superseded", "Remplacée"


# The life cycle moves forward one step at a time; a published charter is superseded by the next
# edition. Going back to drafting is always possible before signature.
CHARTER_STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    CharterStatus.DRAFT: frozenset({CharterStatus.CCAPEX_CONSULTATION}),
    CharterStatus.CCAPEX_CONSULTATION: frozenset(
        {CharterStatus.COREP_VALIDATED, CharterStatus.DRAFT}
    ),
    CharterStatus.COREP_VALIDATED: frozenset({CharterStatus.APPROVED, CharterStatus.DRAFT}),
    CharterStatus.APPROVED: frozenset({CharterStatus.SIGNED, CharterStatus.DRAFT}),
    CharterStatus.SIGNED: frozenset({CharterStatus.PUBLISHED}),
    # A published charter is reopened for drafting when an amendment ("avenant") is prepared.
    CharterStatus.PUBLISHED: frozenset({CharterStatus.SUPERSEDED, CharterStatus.DRAFT}),
    CharterStatus.SUPERSEDED: frozenset(),
}


class PartnerKind(models.TextChoices):
    STATE = "state", "État"
    LOCAL_AUTHORITY = "local_authority", "Collectivité territoriale"
    SOCIAL_BODY = "social_body", "Organisme social"
    LANDLORD = "landlord", "Bailleur"
    JUSTICE = "justice", "Justice"
    ASSOCIATION = "association", "Association"
    PROFESSIONAL_FEDERATION = "professional_federation", "Fédération professionnelle"
    OTHER = "other", "Autre"
    # The one partner standing for « tous les signataires »: porteur of the commitments all the
    # signatories make together (slug `signataires`); never a signatory, no staff.
    COLLECTIVE = "collective", "Ensemble des signataires"


# The collective partner (`PartnerKind.COLLECTIVE`), created by engagements 0014_shared_co_partners.
COLLECTIVE_PARTNER_SLUG = "signataires"
COLLECTIVE_PARTNER_NAME = "Ensemble des signataires"
COLLECTIVE_PARTNER_SHORT_NAME = "Tous les signataires"


class SignatoryRole(models.TextChoices):
    COPILOT = "copilot", "Co-pilote"
    PARTNER = "partner", "Partenaire signataire"


class DocumentType(models.TextChoices):
    CHARTER = "charter", "Charte de prévention de l'expulsion locative"
    PLAN = "plan", "Plan départemental (PDALHPD)"


# The "fiche action" fields, in the order of the fiche, with their French labels.
FICHE_FIELDS: tuple[tuple[str, str], ...] = (
    ("constats", "Constats"),
    ("pilots", "Pilotes de l'action"),
    ("target_audience", "Publics visés"),
    ("associated_partners", "Partenaires associés"),
    ("objectives", "Objectifs"),
    ("points_of_vigilance", "Points de vigilance"),
    ("operating_procedures", "Modalités opératoires"),
    ("resources", "Moyens"),
    ("implementation_timeline", "Délai de mise en œuvre"),
    ("evaluation_indicators", "Indicateurs d'évaluation"),
    ("legal_framework", "Cadre juridique"),
)


class SignatureStatus(models.TextChoices):
    PENDING = "pending", "En attente de signature"
    SIGNED = "signed", "Signée"


# The charter workflow's steps: (task name, group approving it, status set on approval).
CHARTER_WORKFLOW_NAME = "Cycle de vie de la charte"
CHARTER_WORKFLOW_STEPS: tuple[tuple[str, str, str], ...] = (
    ("Rédaction avec les partenaires", "Co-pilotes", CharterStatus.CCAPEX_CONSULTATION),
    ("Avis de la CCAPEX", "Secrétariat CCAPEX", ""),
    (
        "Validation par le comité responsable du PDALHPD (COREP)",
        "COREP du PDALHPD",
        CharterStatus.COREP_VALIDATED,
    ),
    ("Approbation par les co-pilotes", "Co-pilotes", CharterStatus.APPROVED),
    ("Publication", "Secrétariat CCAPEX", CharterStatus.PUBLISHED),
)
