"""Issue #12, admin side: audit trail, snippet choosers and user accounts, role by role."""

import pytest
from django.urls import reverse
from wagtail import hooks
from wagtail.log_actions import log
from wagtail.snippets.models import get_snippet_models

from engagements.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["secretary", "copilot", "committee_member", "contributor"]


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


# --- Item 2: « Historique du site » -------------------------------------------------------------


@pytest.fixture
def logged_commitments(own_commitment, other_commitment):
    """One log entry on the contributor's commitment, one on another partner's, by named users."""
    visible = UserFactory(username="auteur-visible", first_name="Paulin", last_name="Visible")
    hidden = UserFactory(username="auteur-cache", first_name="Zoé", last_name="Confidentielle")
    commenter = UserFactory(username="commentatrice", first_name="Camille", last_name="Interne")
    log(own_commitment, "engagements.update", user=visible, data={"changed": [], "reason": "ok"})
    log(other_commitment, "engagements.update", user=hidden, data={"changed": [], "reason": "x"})
    # An internal comment on the contributor's own commitment: for the comments' readers only.
    log(own_commitment, "engagements.comment", user=commenter)
    return visible, hidden


@pytest.mark.parametrize(
    "url",
    [
        "/admin/reports/site-history/",
        "/admin/reports/site-history/results/",
        "/admin/reports/site-history/?export=csv",
        "/admin/reports/site-history/?export=xlsx",
    ],
)
def test_site_history_shows_a_contributor_only_its_own_commitments(
    client, contributor, logged_commitments, own_commitment, other_commitment, url
):
    client.force_login(contributor)
    response = client.get(url)
    assert response.status_code == 200
    if url.endswith("xlsx"):
        from io import BytesIO

        from openpyxl import load_workbook

        sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
        content = "\n".join(str(cell.value) for row in sheet.iter_rows() for cell in row)
    else:
        content = body(response)
    assert "Confidentielle" not in content
    assert f"{other_commitment}"[:40] not in content
    assert "Camille Interne" not in content and "Commentaire" not in content
    assert "Paulin Visible" in content


def test_a_contributor_reads_its_commitments_history_without_internal_comments(
    client, contributor, logged_commitments, own_commitment, other_commitment
):
    client.force_login(contributor)
    url = reverse("wagtailsnippets_engagements_commitment:history", args=[own_commitment.pk])
    content = body(client.get(url))
    assert "Paulin Visible" in content and "Camille Interne" not in content
    other = reverse("wagtailsnippets_engagements_commitment:history", args=[other_commitment.pk])
    assert client.get(other).status_code == 404


@pytest.mark.parametrize("role", ["secretary", "copilot", "committee_member"])
def test_site_history_is_full_for_the_roles_that_read_every_commitment(
    client, request, role, logged_commitments
):
    client.force_login(request.getfixturevalue(role))
    content = body(client.get("/admin/reports/site-history/?export=csv"))
    assert "Paulin Visible" in content and "Zoé Confidentielle" in content
    assert "Camille Interne" in content


# --- Item 3: every snippet chooser applies its listing's permission -------------------------------


def snippet_models():
    hooks.search_for_hooks()  # the snippets are registered by the apps' wagtail_hooks modules
    return sorted(get_snippet_models(), key=lambda model: model._meta.label)


def refused(response) -> bool:
    """Wagtail answers a refused admin URL with 403/404 or a redirect to the admin's home."""
    if response.status_code in (403, 404):
        return True
    return response.status_code == 302 and response["Location"].startswith("/admin/")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", snippet_models(), ids=lambda model: model._meta.label)
def test_every_snippet_chooser_applies_its_listings_permission(client, request, role, model):
    client.force_login(request.getfixturevalue(role))
    viewset = model.snippet_viewset
    chooser = viewset.chooser_viewset
    listing = client.get(reverse(viewset.get_url_name("list")))
    listed_ids = (
        {obj.pk for obj in listing.context["page_obj"].paginator.object_list}
        if listing.status_code == 200
        else set()
    )
    hidden = model.objects.exclude(pk__in=listed_ids).order_by("pk").first()
    if listing.status_code != 200:
        assert refused(listing), listing.status_code
    for name in ("choose", "choose_results"):
        response = client.get(reverse(chooser.get_url_name(name)))
        if listing.status_code != 200:
            assert refused(response), (name, response.status_code)
        else:
            assert response.status_code == 200
            offered = response.context["results"].paginator.object_list
            assert {obj.pk for obj in offered} <= listed_ids
    if hidden is not None:
        # An instance the listing does not show can neither be chosen nor named.
        chosen = client.get(reverse(chooser.get_url_name("chosen"), args=[hidden.pk]))
        assert refused(chosen), chosen.status_code
        multiple = client.get(reverse(chooser.get_url_name("chosen_multiple")), {"id": hidden.pk})
        assert refused(multiple) or str(hidden) not in multiple.content.decode()


def test_a_contributor_cannot_choose_committee_decisions_or_partner_accounts(client, contributor):
    client.force_login(contributor)
    for url in (
        "/admin/snippets/choose/monitoring/decision/",
        "/admin/snippets/choose/charter/partnermembership/",
    ):
        assert refused(client.get(url)), url


# --- Item 9: only a superuser acts on a superuser; no escalation through the user admin ---------


@pytest.fixture
def superuser(db):
    user = UserFactory(username="super-admin", is_superuser=True, is_staff=True)
    user.set_password("mot-de-passe-initial")
    user.save()
    return user


@pytest.fixture
def other_group(db):
    """A group the secretariat does not hold (Wagtail's own « Moderators »-like group)."""
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.create(name="Groupe puissant")
    group.permissions.add(Permission.objects.get(codename="delete_user"))
    return group


def edit_data(user, **overrides):
    data = {
        "username": user.username,
        "email": user.email or f"{user.username}@example.org",
        "first_name": user.first_name or "Prénom",
        "last_name": user.last_name or "Nom",
        "password1": "",
        "password2": "",
        "is_active": "on",
        "groups": [group.pk for group in user.groups.all()],
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_secretariat_cannot_edit_a_superuser(client, secretary, superuser):
    client.force_login(secretary)
    url = reverse("wagtailusers_users:edit", args=[superuser.pk])
    assert refused(client.get(url))
    response = client.post(
        url, edit_data(superuser, password1="Piratage-2026!", password2="Piratage-2026!")
    )
    assert refused(response)
    superuser.refresh_from_db()
    assert superuser.check_password("mot-de-passe-initial") and superuser.is_active
    assert refused(client.get(reverse("wagtailusers_users:delete", args=[superuser.pk])))
    listing = client.get(reverse("wagtailusers_users:index")).content.decode()
    assert "super-admin" in listing and url not in listing


def test_a_superuser_still_edits_a_superuser(client, superuser):
    other = UserFactory(username="autre-super", is_superuser=True)
    client.force_login(superuser)
    response = client.post(
        reverse("wagtailusers_users:edit", args=[other.pk]),
        edit_data(
            other,
            password1="Nouveau-Passe-2026!",
            password2="Nouveau-Passe-2026!",
            is_superuser="on",
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    other.refresh_from_db()
    assert other.check_password("Nouveau-Passe-2026!")


def test_the_secretariat_cannot_grant_superuser_status(client, secretary, contributor):
    client.force_login(secretary)
    form = client.get(reverse("wagtailusers_users:add")).content.decode()
    assert 'name="is_superuser"' not in form
    response = client.post(
        reverse("wagtailusers_users:edit", args=[contributor.pk]),
        edit_data(contributor, is_superuser="on"),
    )
    assert response.status_code == 200
    assert "Seul un superutilisateur peut accorder" in response.content.decode()
    contributor.refresh_from_db()
    assert not contributor.is_superuser
    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "username": "nouvel-admin",
            "email": "nouvel-admin@example.org",
            "first_name": "Nouvel",
            "last_name": "Admin",
            "password1": "Un-Mot-De-Passe-2026!",
            "password2": "Un-Mot-De-Passe-2026!",
            "is_superuser": "on",
        },
    )
    assert response.status_code == 200
    assert not UserFactory._meta.model.objects.filter(username="nouvel-admin").exists()


def test_the_secretariat_gives_only_groups_within_its_own_rights(
    client, secretary, contributor, other_group
):
    from django.contrib.auth.models import Group

    from charter.roles import COMMITTEE, COPILOTS, PARTNER_CONTRIBUTORS, SECRETARIAT

    client.force_login(secretary)
    url = reverse("wagtailusers_users:edit", args=[contributor.pk])
    # A group granting a right it lacks, to someone else or to itself: refused, nothing changed.
    for target in (contributor, secretary):
        target_url = reverse("wagtailusers_users:edit", args=[target.pk])
        groups = [*target.groups.values_list("pk", flat=True), other_group.pk]
        response = client.post(target_url, edit_data(target, groups=groups))
        assert response.status_code == 200
        assert "Sélectionnez un choix valide" in response.content.decode()
        assert not target.groups.filter(pk=other_group.pk).exists()
    # A group granting nothing it lacks is given (the workspace roles); a group it may not give
    # is kept as it was.
    contributor.groups.add(other_group)
    given = Group.objects.filter(name__in=[SECRETARIAT, PARTNER_CONTRIBUTORS, COPILOTS, COMMITTEE])
    response = client.post(url, edit_data(contributor, groups=[group.pk for group in given]))
    assert response.status_code == 302
    assert set(contributor.groups.all()) == {*given, other_group}


def bulk_url(action, *users):
    query = "&".join(f"id={user.pk}" for user in users)
    return reverse("wagtail_bulk_action", args=("auth", "user", action)) + "?" + query


def test_user_bulk_actions_leave_superusers_and_foreign_groups_alone(
    client, secretary, superuser, contributor, other_group
):
    from django.contrib.auth.models import Group

    from charter.roles import SECRETARIAT

    client.force_login(secretary)
    client.post(bulk_url("set_active_state", superuser, contributor), {"mark_as_active": "False"})
    superuser.refresh_from_db()
    contributor.refresh_from_db()
    assert superuser.is_active and not contributor.is_active

    response = client.post(
        bulk_url("assign_role", secretary, contributor), {"role": other_group.pk}
    )
    assert response.status_code == 200  # the form refuses a group the secretariat does not hold
    assert not other_group.user_set.exists()

    secretariat = Group.objects.get(name=SECRETARIAT)
    client.post(bulk_url("assign_role", superuser, contributor), {"role": secretariat.pk})
    assert not superuser.groups.exists()
    assert contributor.groups.filter(pk=secretariat.pk).exists()


@pytest.mark.parametrize("role", ROLES)
def test_every_menu_entry_shown_to_a_role_opens(client, request, role):
    """No menu entry, report included, leads a role to a refusal (issue 12, item 2)."""
    import re

    client.force_login(request.getfixturevalue(role))
    home = client.get("/admin/").content.decode()
    urls = re.findall(r'"url": "(/admin/[^"]*)"', home)
    assert urls
    for url in urls:
        response = client.get(url)
        refused_here = response.status_code in (403, 404) or (
            response.status_code == 302
            and (response["Location"] == "/admin/" or "/login/" in response["Location"])
        )
        assert not refused_here, (url, response.status_code)


# --- Issue 18: the sidebar in 4 groups ----------------------------------------------------------

GROUPS = ["Charte", "Engagements", "Suivi du comité", "Imports"]
# Every project entry, in the group that holds it, in this order.
GROUPED_ENTRIES = {
    "Charte": [
        "Actions",
        "Partenaires",
        "Comptes partenaires",
        "Signatures",
        "Lexique",
        "Versions",
    ],
    "Engagements": ["Mes engagements", "Engagements", "Propositions à valider"],
    "Suivi du comité": [
        "Tableaux de bord",
        "Indicateurs (séries)",
        "Indicateurs",
        "Saisir un indicateur",
        "Campagnes de bilan",
        "Comptes rendus",
        "Décisions du comité",
        "Cibles des indicateurs",
    ],
    "Imports": ["Importer des données", "Importer une charte", "Lignes à placer"],
}


def sidebar(client) -> list[tuple[str, list[str]]]:
    """The sidebar's top entries as (label, labels of its submenu entries)."""
    import json
    import re

    html = client.get("/admin/").content.decode()
    props = re.search(r'<script id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S)
    modules = json.loads(props.group(1))["modules"]
    main = next(m for m in modules if m["_type"] == "wagtail.sidebar.MainMenuModule")

    def label(item):
        return item["_args"][0]["label"]

    def children(item):
        submenu = item["_type"] == "wagtail.sidebar.SubMenuItem"
        return [label(child) for child in item["_args"][1]] if submenu else []

    return [(label(item), children(item)) for item in main["_args"][0]]


def test_every_project_entry_sits_in_its_group_with_distinct_orders(client, superuser):
    client.force_login(superuser)
    menu = sidebar(client)
    top = [name for name, _ in menu]
    assert [name for name in top if name in GROUPS] == GROUPS
    flat = {entry for entries in GROUPED_ENTRIES.values() for entry in entries}
    assert not (flat - set(GROUPS)) & set(top), "a project entry is outside its group"
    for name, children in menu:
        if name in GROUPED_ENTRIES:
            # Everything, in order, but « Mes engagements »: a superuser works for no partner.
            assert children == [e for e in GROUPED_ENTRIES[name] if e != "Mes engagements"]
    from wagtail.admin.menu import admin_menu

    orders = [item.order for item in admin_menu.registered_menu_items]
    assert len(orders) == len(set(orders)), sorted(orders)


@pytest.mark.parametrize(
    ("role", "groups"),
    [
        ("secretary", GROUPS),
        ("copilot", GROUPS[:3]),
        ("committee_member", GROUPS[:3]),
        ("contributor", ["Engagements"]),
    ],
)
def test_each_role_sees_the_groups_it_can_use(client, request, role, groups):
    client.force_login(request.getfixturevalue(role))
    menu = dict(sidebar(client))
    assert [name for name in menu if name in GROUPS] == groups
    assert all(menu[name] for name in groups), "an empty group is shown"


def test_a_contributor_whose_partner_sources_an_indicator_sees_only_the_entry_form(
    client, contributor, caf
):
    from monitoring.models import Indicator

    Indicator.objects.create(name="Signalements de la CAF (test)", source_partner=caf)
    client.force_login(contributor)
    menu = dict(sidebar(client))
    assert [name for name in menu if name in GROUPS] == ["Engagements", "Suivi du comité"]
    assert menu["Suivi du comité"] == ["Saisir un indicateur"]
