"""Named reads of the charter app (the legal checklist, the signatures' state)."""

from dataclasses import dataclass

from django.db.models import Q
from wagtail.models import Page, Site
from wagtail.permissions import policy_registry

from .choices import CharterStatus, SignatureStatus
from .models.pages import ActionPage, CharterPage
from .models.pages import current_charter as current_charter  # defined with the pages
from .models.signatures import Signature


@dataclass(frozen=True)
class ChecklistItem:
    """One requirement of décret n° 2016-393 and whether the charter meets it."""

    key: str
    label: str
    ok: bool
    hint: str


def latest_content(*, charter: CharterPage) -> CharterPage:
    """The charter as last edited (its latest revision), falling back to the stored page."""
    if charter.pk and charter.has_unpublished_changes:
        latest = charter.get_latest_revision_as_object()
        if latest is not None:
            return latest
    return charter


def unpublished_content(*, charter: CharterPage) -> list[str]:
    """What of a charter the public does not see yet, in French, in the order of the page tree.

    Pages never published or unpublished, and pages with edits saved but not published.
    """
    labels = []
    if charter.has_unpublished_changes:
        labels.append(f"la charte « {charter.title} » : modifications non publiées")
    pending = (
        Page.objects.descendant_of(charter)
        .filter(Q(live=False) | Q(has_unpublished_changes=True))
        .order_by("path")
        .specific()
    )
    for page in pending:
        if isinstance(page, ActionPage):
            name = f"l'action {page.code} « {page.title} »"
        elif hasattr(page, "number"):
            name = f"l'orientation {page.number} « {page.title} »"
        else:
            name = f"la page « {page.title} »"
        if not page.live:
            state = "jamais publiée" if page.first_published_at is None else "dépubliée"
        else:
            state = "modifications non publiées"
        labels.append(f"{name} : {state}")
    return labels


def legal_checklist(*, charter: CharterPage) -> list[ChecklistItem]:
    """What décret n° 2016-393 requires the charter to contain, item by item."""
    actions = ActionPage.objects.descendant_of(charter) if charter.pk and charter.path else None
    has_commitments = bool(
        actions is not None and actions.filter(commitments__isnull=False).exists()
    )
    has_indicators = bool(
        actions is not None
        and actions.filter(Q(indicators__isnull=False) | ~Q(evaluation_indicators="")).exists()
    )
    has_duration = bool(charter.duration_years or (charter.start_date and charter.end_date))
    mayors = list(charter.mayor_invitation_requests.all())
    return [
        ChecklistItem(
            "commitments",
            "les engagements des partenaires",
            has_commitments,
            "saisissez les engagements des partenaires pour les actions de la charte.",
        ),
        ChecklistItem(
            "quantitative_objectives",
            "les objectifs quantitatifs",
            bool(charter.quantitative_objectives.strip()),
            "renseignez le champ « objectifs quantitatifs ».",
        ),
        ChecklistItem(
            "qualitative_objectives",
            "les objectifs qualitatifs",
            bool(charter.qualitative_objectives.strip()),
            "renseignez le champ « objectifs qualitatifs ».",
        ),
        ChecklistItem(
            "indicators",
            "les indicateurs d'évaluation",
            has_indicators,
            "renseignez les indicateurs d'évaluation des fiches action.",
        ),
        ChecklistItem(
            "duration",
            "la durée de la charte",
            has_duration,
            "indiquez la durée en années, ou les dates d'entrée en vigueur et de fin.",
        ),
        ChecklistItem(
            "governance",
            "les modalités de suivi, d'évaluation et de révision",
            bool(charter.governance.strip()),
            "renseignez le champ « modalités de suivi, d'évaluation et de révision ».",
        ),
        ChecklistItem(
            "mayors",
            "la liste des maires souhaitant être invités aux réunions de la CCAPEX",
            bool(mayors) or charter.no_mayor_request,
            "ajoutez les demandes des maires, ou cochez « aucun maire n'a demandé à être invité ».",
        ),
    ]


def export_checklist(*, charter: CharterPage) -> list[ChecklistItem]:
    """What the document for signature needs beyond the decree: an empty part is left out of
    the DOCX/PDF, so the editor is told here before exporting."""
    signatories = list(charter.signatories.all())
    untitled = [s.partner.name for s in signatories if not s.authority_title.strip()]
    return [
        ChecklistItem(
            "introduction",
            "le préambule",
            bool(charter.introduction.strip()),
            "renseignez le champ « préambule » (sinon le document n'en a pas).",
        ),
        ChecklistItem(
            "authority_titles",
            "le titre de l'autorité qui signe, pour chaque signataire",
            bool(signatories) and not untitled,
            "indiquez l'« autorité signataire » de : " + ", ".join(untitled) + "."
            if untitled
            else "ajoutez les signataires.",
        ),
        ChecklistItem(
            "signing_place",
            "le lieu de signature (« Fait à … »)",
            bool(charter.signing_place.strip()),
            "renseignez le « lieu de signature ».",
        ),
        ChecklistItem(
            "original_copies",
            "le nombre d'exemplaires originaux",
            bool(charter.original_copies),
            "renseignez le « nombre d'exemplaires originaux ».",
        ),
    ]


def signature_states(*, charter: CharterPage) -> list[tuple]:
    """Each signatory of the latest content with its signature record (None when pending)."""
    content = latest_content(charter=charter)
    records = signatures_by_partner(charter=charter)
    return [
        (signatory, records.get(signatory.partner_id)) for signatory in content.signatories.all()
    ]


def signatures_by_partner(*, charter: CharterPage) -> dict[int, Signature]:
    """The charter's signature records (who signed, when), by partner id."""
    return charter.signature_records()


def may_record_signatures(*, user) -> bool:
    """Whether the user records signatures (the secretariat: add and change on Signature)."""
    policy = policy_registry.get_by_type(Signature)
    return bool(user and user.is_authenticated) and all(
        policy.user_has_permission(user, action) for action in ("add", "change")
    )


def all_signed(*, charter: CharterPage) -> bool:
    """True when every signatory of the charter has signed."""
    states = signature_states(charter=charter)
    return bool(states) and all(
        record is not None and record.status == SignatureStatus.SIGNED for _s, record in states
    )


@dataclass(frozen=True)
class PublicStatus:
    """Where a charter stands for the public: its text in force, and any amendment in progress."""

    value: str
    label: str
    in_force: bool
    amendment_step: CharterStatus | None = None

    @property
    def amendment_in_progress(self) -> bool:
        return self.amendment_step is not None


def public_status(*, charter: CharterPage) -> PublicStatus:
    """The status every public page, file and API shows for `charter`.

    Once a text is in force, it stays « En vigueur » while an amendment goes through the workflow;
    the amendment's step is given apart (« Avenant en préparation »), never in its place.
    """
    step = CharterStatus(charter.lifecycle_status)
    if step == CharterStatus.SUPERSEDED:
        return PublicStatus(step.value, step.label, in_force=False)
    if charter.in_force:
        amendment = None if step == CharterStatus.PUBLISHED else step
        return PublicStatus(
            CharterStatus.PUBLISHED.value, "En vigueur", in_force=True, amendment_step=amendment
        )
    return PublicStatus(step.value, step.label, in_force=False)


def charters_home() -> Page | None:
    """Where charter editions are filed: the root page of the default site (the home page)."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    return site.root_page.specific if site is not None else None
