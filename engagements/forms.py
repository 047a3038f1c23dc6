"""Admin forms of the partner workspace: commitment update, bulk update, proposal review."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.documents import get_document_model
from wagtail.permissions import policy_registry

from .choices import CommitmentStatus
from .documents import partner_collection_id


class CommitmentAdminForm(WagtailAdminModelForm):
    """The commitment form, plus the reason of the change and the version it started from."""

    reason = forms.CharField(
        label="Motif de la modification",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Obligatoire pour tout changement de statut ; conservé dans l'historique.",
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version
        if "evidence_document" in self.fields and self.for_user is not None:
            # Only the partner's own documents that the user may choose (plus the current one)
            # can be evidence; the service checks the partner's collection again.
            policy = policy_registry.get_by_type(get_document_model())
            choosable = policy.instances_user_has_any_permission_for(self.for_user, ["choose"])
            if self.instance.partner_id:
                choosable = choosable.filter(
                    collection_id=partner_collection_id(self.instance.partner_id)
                )
            current = self.instance.evidence_document_id
            self.fields["evidence_document"].queryset = get_document_model().objects.filter(
                Q(pk__in=choosable.values("pk")) | Q(pk=current)
            )
        if "owner" in self.fields:
            # The owner is a member of the partner organisation.
            partner_id = self.instance.partner_id
            users = get_user_model().objects.filter(is_active=True)
            if partner_id:
                users = users.filter(partner_membership__partner_id=partner_id)
            self.fields["owner"].queryset = users.order_by("last_name", "username")


class BulkUpdateForm(forms.Form):
    """One status and one reason for several commitments."""

    status = forms.ChoiceField(label="Nouveau statut", choices=CommitmentStatus.choices)
    progress = forms.IntegerField(
        label="Avancement (%)",
        min_value=0,
        max_value=100,
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
