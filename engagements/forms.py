"""Admin forms of the partner workspace: commitment update, bulk update, proposal review."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.documents import get_document_model
from wagtail.models import Page
from wagtail.permissions import policy_registry

from charter.choices import PartnerKind
from charter.models import Partner
from charter.models.partners import ORGANISATION_ONLY

from .choices import COMMITMENT_STATUS_TRANSITIONS, CommitmentStatus, ProposalStatus
from .documents import partner_collection_ids
from .rules import PROGRESS_VALUES, validate_commitment_change

STALE_FORM_MESSAGE = (
    "Ce formulaire est incomplet ou trop ancien (la version de l'engagement affichée manque) : "
    "rien n'a été enregistré. Rechargez la page, puis refaites votre modification."
)
STALE_BULK_MESSAGE = (
    "Ce formulaire de mise à jour groupée est incomplet ou trop ancien (les versions des "
    "engagements affichés manquent) : rien n'a été modifié. Rechargez la page, puis recommencez."
)


# The values a pending proposal carries, shown when its commitment's form is reopened.
PROPOSAL_FIELDS = (
    "status",
    "progress",
    "narrative",
    "internal_note",
    "evidence_document",
    "evidence_url",
    "owner",
    "reason",
)


def allowed_statuses(current: str) -> list[str]:
    """The current status and those the transition table allows after it, in display order."""
    reachable = {current, *COMMITMENT_STATUS_TRANSITIONS[CommitmentStatus(current)]}
    return [value for value in CommitmentStatus.values if value in reachable]


def status_help_text(current: str) -> str:
    """What to do for each status that cannot follow the current one (a step in between)."""
    allowed = allowed_statuses(current)
    steps = []
    for target in CommitmentStatus:
        if target.value in allowed:
            continue
        via = [
            CommitmentStatus(step).label
            for step in allowed
            if step != current and target in COMMITMENT_STATUS_TRANSITIONS[CommitmentStatus(step)]
        ]
        if via:
            steps.append(
                f"«\u00a0{target.label}\u00a0» : passez d'abord par «\u00a0{via[0]}\u00a0»"
            )
    help_text = "Seuls les statuts possibles depuis le statut actuel sont proposés."
    if steps:
        help_text += " Pour les autres, enregistrez une étape intermédiaire\u00a0: " + " ; ".join(
            steps
        )
        help_text += "."
    return help_text


def version_list(commitments) -> str:
    """The versions a bulk form was shown with: "id:version" pairs, comma-separated."""
    return ",".join(f"{commitment.pk}:{commitment.version}" for commitment in commitments)


class CommitmentAdminForm(WagtailAdminModelForm):
    """The commitment form, plus the reason of the change and the version it started from."""

    reason = forms.CharField(
        label="Motif de la modification",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Obligatoire pour tout changement de statut ; conservé dans l'historique.",
    )
    # The version the form was shown with: mandatory when editing (a save never starts blind).
    expected_version = forms.IntegerField(
        label="Version affichée",
        widget=forms.HiddenInput,
        required=False,
        min_value=1,
        error_messages={"invalid": STALE_FORM_MESSAGE, "min_value": STALE_FORM_MESSAGE},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pending_proposal = None
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version
            self.fields["expected_version"].required = True
            self.fields["expected_version"].error_messages["required"] = STALE_FORM_MESSAGE
            if "status" in self.fields:
                self._limit_status_choices()
            self.pending_proposal = (
                self.instance.proposals.filter(review_status=ProposalStatus.PENDING)
                .select_related("proposed_by")
                .first()
            )
            if self.pending_proposal is not None and not self.is_bound:
                # Reopened while a proposal waits: the form shows the proposed values.
                for name in PROPOSAL_FIELDS:
                    if name in self.fields:
                        value = getattr(self.pending_proposal, name)
                        self.initial[name] = getattr(value, "pk", value)
        if "co_partners" in self.fields:
            self._limit_co_partners()
        if "evidence_document" in self.fields and self.for_user is not None:
            # Only the partner's own documents that the user may choose (plus the current one)
            # can be evidence; the service checks the partner's collection again.
            policy = policy_registry.get_by_type(get_document_model())
            choosable = policy.instances_user_has_any_permission_for(self.for_user, ["choose"])
            if self.instance.partner_id:
                choosable = choosable.filter(
                    collection_id__in=partner_collection_ids(self.instance.partner_id)
                )
            current = self.instance.evidence_document_id
            self.fields["evidence_document"].queryset = get_document_model().objects.filter(
                Q(pk__in=choosable.values("pk")) | Q(pk=current)
            )
        if "progress" in self.fields:
            # Its range is a commitment rule: engagements.rules words it (in clean()).
            self.fields["progress"].validators = []
        if "owner" in self.fields:
            # The owner is a member of the partner organisation.
            partner_id = self.instance.partner_id
            users = get_user_model().objects.filter(is_active=True)
            if partner_id:
                users = users.filter(partner_membership__partner_id=partner_id)
            self.fields["owner"].queryset = users.order_by("last_name", "username")

    def _limit_co_partners(self):
        """« Partenaires associés »: the signatories of the commitment's charter, but the porteur
        and the collective partner (all the partners before the action is known)."""
        partners = Partner.objects.exclude(kind=PartnerKind.COLLECTIVE)
        action = self.instance.action if self.instance.action_id else None
        if action is not None:
            charter_path = action.path[: -2 * Page.steplen]
            partners = partners.filter(signatory_entries__charter__path=charter_path)
            partners = partners.exclude(pk=self.instance.partner_id)
        field = self.fields["co_partners"]
        field.queryset = partners.distinct().order_by("name")
        field.help_text = (
            "Cochez les signataires qui portent cet engagement avec le partenaire porteur "
            "(ils le voient et le mettent à jour). Il reste compté une fois, chez le porteur."
        )

    def _limit_status_choices(self):
        """Only the statuses the rules allow from the current one (itself included)."""
        current = CommitmentStatus(self.instance.status)
        allowed = allowed_statuses(current)
        field = self.fields["status"]
        # Only the list shown is narrowed: a stale form still reaches the service, whose
        # conflict message (who changed what) comes first, and the rules word a refusal.
        field.widget.choices = [
            (value, label) for value, label in field.choices if value in allowed
        ]
        field.help_text = status_help_text(current)

    def clean(self):
        cleaned = _hidden_error_to_form(
            self, "expected_version", STALE_FORM_MESSAGE, super().clean()
        )
        # The commitment rules (engagements.rules), shown on their fields before any save; the
        # service checks them again against the locked row. A stale form is left to the service:
        # its conflict message (who changed what) comes first.
        if self.instance.pk and cleaned.get("expected_version") != self.instance.version:
            return cleaned
        changes = {
            name: cleaned[name]
            for name in (*PROGRESS_VALUES, "partner", "evidence_public")
            if name in cleaned and name not in self._errors
        }
        try:
            validate_commitment_change(
                commitment=self.instance if self.instance.pk else None,
                changes=changes,
                reason=cleaned.get("reason", ""),
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        return cleaned


def _hidden_error_to_form(form, name: str, message: str, cleaned: dict) -> dict:
    """A hidden field's error is shown at the top of the form (its field is not displayed)."""
    if name in form._errors:
        del form._errors[name]
        form.add_error(None, message)
    return cleaned


class PartnerMembershipForm(WagtailAdminModelForm):
    """A partner account's form: « Ensemble des signataires » refused with a French reason."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].error_messages["invalid_choice"] = ORGANISATION_ONLY["invalid"]


class BulkUpdateForm(forms.Form):
    """One status and one reason for several commitments."""

    status = forms.ChoiceField(label="Nouveau statut", choices=CommitmentStatus.choices)
    progress = forms.IntegerField(
        label="Avancement (%)",
        required=False,
        help_text="Laisser vide pour garder l'avancement de chaque engagement.",
    )
    evidence_url = forms.URLField(
        label="Justificatif (lien)",
        required=False,
        assume_scheme="https",
        help_text="Obligatoire pour passer à « Réalisé » des engagements sans justificatif.",
    )
    reason = forms.CharField(
        label="Motif", widget=forms.Textarea(attrs={"rows": 2}), help_text="Obligatoire."
    )
    # Each selected commitment's version when the form was shown ("id:version,…").
    versions = forms.CharField(
        widget=forms.HiddenInput,
        error_messages={"required": STALE_BULK_MESSAGE},
    )

    def clean_versions(self) -> dict[int, int]:
        versions = {}
        for pair in self.cleaned_data["versions"].split(","):
            pk, _, version = pair.partition(":")
            try:
                versions[int(pk)] = int(version)
            except ValueError as error:
                raise forms.ValidationError(STALE_BULK_MESSAGE) from error
        return versions

    def clean_progress(self) -> int | None:
        progress = self.cleaned_data["progress"]
        if progress is not None:
            # The range rule and its message: engagements.rules, as for a single update.
            try:
                validate_commitment_change(commitment=None, changes={"progress": progress})
            except ValidationError as error:
                raise forms.ValidationError(error.message_dict["progress"]) from error
        return progress

    def clean(self):
        return _hidden_error_to_form(self, "versions", STALE_BULK_MESSAGE, super().clean())


class ProposalReturnForm(forms.Form):
    """A co-pilot's comment when sending a proposal back."""

    comment = forms.CharField(
        label="Commentaire pour le partenaire", widget=forms.Textarea(attrs={"rows": 3})
    )


class CommentForm(forms.Form):
    """An internal comment on a commitment."""

    text = forms.CharField(
        label="Commentaire interne (non publié)", widget=forms.Textarea(attrs={"rows": 3})
    )
