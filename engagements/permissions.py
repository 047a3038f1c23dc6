"""Who may see or change which commitment (the roles themselves: `charter.roles`)."""

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Length, Substr
from django.http import Http404
from wagtail.models import GroupCollectionPermission, GroupPagePermission, Page
from wagtail.permission_policies import ModelPermissionPolicy

from charter.choices import PartnerKind
from charter.models import Signatory
from charter.roles import user_partner_id

from .models import Commitment

# The committee's shared document collection (engagements/documents.py).
SHARED_COLLECTION = "Espace collaboratif"


def sees_all_commitments(user) -> bool:
    """Secretariat, co-pilots and committee members read every partner's commitments."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.has_perm("engagements.view_all_commitments")
    )


def partner_updatable_q(partner_id: int) -> Q:
    """The commitments a partner's staff may update: those it carries or co-owns."""
    co_owned = Commitment.co_partners.through.objects.filter(
        commitment_id=OuterRef("pk"), partner_id=partner_id
    )
    return Q(partner_id=partner_id) | Q(Exists(co_owned))


def partner_readable_q(partner_id: int) -> Q:
    """The commitments a partner's staff may read: those it may update, and the collective
    partner's (« Ensemble des signataires ») in the charters it signs."""
    # The charter is the action's grand-parent page: its path is the action's, two steps shorter.
    signs_charter = Signatory.objects.filter(
        partner_id=partner_id,
        charter__path=Substr(
            OuterRef("action__path"), 1, Length(OuterRef("action__path")) - 2 * Page.steplen
        ),
    )
    return partner_updatable_q(partner_id) | (
        Q(partner__kind=PartnerKind.COLLECTIVE) & Q(Exists(signs_charter))
    )


def _commitments_of_organisation(user, queryset, rule) -> QuerySet:
    """All the commitments for those who see everything, else those `rule(partner_id)` gives.

    One `pk__in` subquery: search backends filter on it like on any field.
    """
    queryset = Commitment.objects.all() if queryset is None else queryset
    if sees_all_commitments(user):
        return queryset
    partner_id = user_partner_id(user)
    if partner_id is None:
        return queryset.none()
    return queryset.filter(pk__in=Commitment.objects.filter(rule(partner_id)).values("pk"))


def visible_commitments(user, queryset: QuerySet[Commitment] | None = None) -> QuerySet:
    """The commitments a user may read: all of them, or its organisation's, those it co-owns and
    the collective partner's in the charters it signs (`partner_readable_q`)."""
    return _commitments_of_organisation(user, queryset, partner_readable_q)


def updatable_commitments(user, queryset: QuerySet[Commitment] | None = None) -> QuerySet:
    """The commitments a user's organisation may update (before its model permissions): all for
    those who see everything, else those it carries or co-owns (`partner_updatable_q`)."""
    return _commitments_of_organisation(user, queryset, partner_updatable_q)


class CommitmentPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, narrowed to the user's organisation unless it sees everything: it reads
    what `visible_commitments` gives, and changes only what it carries or co-owns."""

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        if sees_all_commitments(user):
            return True
        partner_id = user_partner_id(user)
        if partner_id is None:
            return False
        if instance.partner_id == partner_id:
            return True
        if action == "view":
            return visible_commitments(user).filter(pk=instance.pk).exists()
        # Reads the prefetched co-partners when the listing loaded them.
        return any(partner.pk == partner_id for partner in instance.co_partners.all())

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model.objects.none()
        if "view" in actions:
            return visible_commitments(user, self.model.objects.all())
        return updatable_commitments(user, self.model.objects.all())


commitment_permission_policy = CommitmentPermissionPolicy(Commitment)


def check_commitment_access(user, commitment: Commitment, action: str) -> Commitment:
    """404 if the user may not even read the commitment, 403 if it may not do `action` on it."""
    if not visible_commitments(user).filter(pk=commitment.pk).exists():
        raise Http404("Engagement introuvable.")
    if action != "view" and not commitment_permission_policy.user_has_permission_for_instance(
        user, action, commitment
    ):
        raise PermissionDenied
    return commitment


def visible_log_entries(user, queryset: QuerySet) -> QuerySet:
    """Audit-log entries narrowed to the commitments and internal comments the user may read."""
    if not user.has_perm("engagements.view_commitmentcomment"):
        queryset = queryset.exclude(action="engagements.comment")
    if sees_all_commitments(user) or not any(
        field.name == "object_id" for field in queryset.model._meta.get_fields()
    ):
        return queryset
    commitment_type = ContentType.objects.get_for_model(Commitment)
    visible_ids = [str(pk) for pk in visible_commitments(user).values_list("pk", flat=True)]
    return queryset.filter(~Q(content_type=commitment_type) | Q(object_id__in=visible_ids))


def can_update(user, commitment: Commitment) -> bool:
    """Whether the user may record progress on this commitment."""
    return commitment_permission_policy.user_has_permission_for_instance(user, "change", commitment)


def can_manage(user) -> bool:
    """Whether the user may change partner, action, text, position and due date."""
    return user.has_perm("engagements.manage_commitment")


def can_validate(user) -> bool:
    """Whether the user may validate or return partners' proposals."""
    return user.has_perm("engagements.validate_commitment")


# --- User accounts (issue 12, item 9): only a superuser may act on a superuser ------------------


class UserPermissionPolicy(ModelPermissionPolicy):
    """Model permissions on users, except that only superusers may change or delete superusers."""

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        return action == "view" or user.is_superuser or not instance.is_superuser

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])

    def instances_user_has_any_permission_for(self, user, actions):
        users = super().instances_user_has_any_permission_for(user, actions)
        if user.is_superuser or "view" in actions:
            return users
        return users.filter(is_superuser=False)


def grantable_groups(user) -> QuerySet:
    """The groups a user may give: all for a superuser, else those granting nothing it lacks.

    A group is grantable when the user holds each of its model permissions, and each of its page
    and collection permissions on the same page or collection or an ancestor of it.
    """
    if user.is_superuser:
        return Group.objects.all()
    if not user.is_active:
        return Group.objects.none()
    own_groups = list(user.groups.all())
    own_permissions = user.get_all_permissions()
    own_pages = [
        (grant.page.path, grant.permission_id)
        for grant in GroupPagePermission.objects.filter(group__in=own_groups).select_related("page")
    ]
    own_collections = [
        (grant.collection.path, grant.permission_id)
        for grant in GroupCollectionPermission.objects.filter(group__in=own_groups).select_related(
            "collection"
        )
    ]

    def covered(path, permission_id, grants):
        return any(
            permission_id == own_id and path.startswith(own_path) for own_path, own_id in grants
        )

    grantable = []
    groups = Group.objects.prefetch_related(
        "permissions__content_type", "page_permissions__page", "collection_permissions__collection"
    )
    for group in groups:
        if group in own_groups or (
            all(
                f"{p.content_type.app_label}.{p.codename}" in own_permissions
                for p in group.permissions.all()
            )
            and all(
                covered(grant.page.path, grant.permission_id, own_pages)
                for grant in group.page_permissions.all()
            )
            and all(
                covered(grant.collection.path, grant.permission_id, own_collections)
                for grant in group.collection_permissions.all()
            )
        ):
            grantable.append(group.pk)
    return Group.objects.filter(pk__in=grantable)
