"""The project's own admin screens in Chromium (issue 14): zero axe-core violations at 1,280 and
375 px, each screen seen by the role that uses it, and no sideways scrolling of the whole page on
a phone (wide tables scroll inside their own labelled region).

The signatures screen and the import preview have their own checks (their modules' tests).
"""

import datetime
import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.urls import reverse
from wagtail.models import ModelLogEntry

from charter.roles import COMMITTEE, COPILOTS, PARTNER_CONTRIBUTORS, SECRETARIAT
from conftest import restore_session_state
from engagements.models import CommitmentProposal
from engagements.tests.factories import user_with_role
from imports.models import UnplacedLine

from .conftest import (
    WIDTHS,
    admin_session,
    axe_violations,
    describe_violations,
    page_overflow,
    unlabelled_table_scrollers,
)

# Wagtail's own markup that the project cannot change, excluded rule by rule and node by node
# (never a whole rule or a whole page).
WAGTAIL_EXCLUSIONS: dict[str, dict[str, list[str]]] = {
    # Wagtail's generic listing announces a filtered count with `<h2 role="alert">`
    # (wagtailadmin/generic/listing_results.html); the « à placer » filter is on by default.
    "lignes-a-placer": {"aria-allowed-role": ['h2[role="alert"]']},
}


@pytest.fixture(scope="module")
def world(django_db_blocker):
    """One user per role with a session, a pending proposal, an open and a closed campaign;
    committed for the live server, removed afterwards."""
    from charter.models import CharterPage, Partner
    from engagements.services import commitment_propose_update
    from monitoring.models import ReviewCampaign
    from monitoring.services import campaign_close, campaign_open
    from tests.synthetic import CHARTER_SLUG, PLAN_SLUG

    with django_db_blocker.unblock():
        restore_session_state()  # a live-server module before this one may have flushed it
        last_log = ModelLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        caf = Partner.objects.get(short_name="CAF")
        users = {
            "partenaire": user_with_role(PARTNER_CONTRIBUTORS, partner=caf, username="axe-caf"),
            "copilote": user_with_role(COPILOTS, username="axe-copilote"),
            "comite": user_with_role(COMMITTEE, username="axe-comite"),
            "secretariat": user_with_role(SECRETARIAT, username="axe-secretariat"),
        }
        sessions = {role: admin_session(user) for role, user in users.items()}
        commitments = list(caf.commitments.order_by("pk")[:3])
        proposal = commitment_propose_update(
            commitment=commitments[2],
            user=users["partenaire"],
            status="in_progress",
            progress=40,
            narrative="Premières permanences tenues.",
            reason="Revue annuelle",
            expected_version=commitments[2].version,
        )
        charter = CharterPage.objects.get(slug=CHARTER_SLUG)
        plan = CharterPage.objects.get(slug=PLAN_SLUG)
        deadline = datetime.date.today() + datetime.timedelta(days=30)
        open_campaign = campaign_open(charter=charter, year=2097, deadline=deadline, user=None)
        closed_campaign = campaign_open(charter=plan, year=2096, deadline=deadline, user=None)
        campaign_close(campaign=closed_campaign, user=None)
        line = UnplacedLine.objects.create(
            charter=charter,
            position=1,
            location="paragraphe 42",
            text="Les signataires s'engagent à se réunir deux fois par an.",
            reason="texte hors engagement",
        )
        paths = {
            "accueil-partenaire": ("partenaire", "/admin/"),
            "mes-engagements": ("partenaire", reverse("engagements_mine")),
            "modification-engagement": (
                "partenaire",
                reverse("wagtailsnippets_engagements_commitment:edit", args=[commitments[0].pk])
                + "?next=/admin/mes-engagements/",
            ),
            "mise-a-jour-groupee": (
                "partenaire",
                reverse("wagtail_bulk_action", args=("engagements", "commitment", "update"))
                + f"?id={commitments[0].pk}&id={commitments[1].pk}&next=/admin/mes-engagements/",
            ),
            "propositions": ("copilote", reverse("engagements_proposals")),
            "examen-proposition": (
                "copilote",
                reverse("engagements_proposal_review", args=[proposal.pk]),
            ),
            "tableaux-de-bord": ("comite", reverse("monitoring:dashboard")),
            "indicateurs": ("comite", reverse("monitoring:indicators")),
            "campagnes": ("secretariat", reverse("monitoring:campaigns")),
            "campagne": ("secretariat", reverse("monitoring:campaign", args=[open_campaign.pk])),
            "campagne-close": (
                "secretariat",
                reverse("monitoring:campaign", args=[closed_campaign.pk]),
            ),
            "cloture-confirmation": (
                "secretariat",
                reverse("monitoring:campaign_close", args=[open_campaign.pk]),
            ),
            "reouverture": (
                "secretariat",
                reverse("monitoring:campaign_reopen", args=[closed_campaign.pk]),
            ),
            "editeur-charte": (
                "secretariat",
                reverse("wagtailadmin_pages:edit", args=[charter.pk]),
            ),
            "lignes-a-placer": ("secretariat", reverse("imports_unplaced:index")),
            "ligne-a-placer": ("secretariat", reverse("imports_unplaced:edit", args=[line.pk])),
            "ecarter-ligne": ("secretariat", reverse("imports_unplaced:discard", args=[line.pk])),
        }
    yield {"sessions": sessions, "paths": paths}
    with django_db_blocker.unblock():
        CommitmentProposal.objects.filter(pk=proposal.pk).delete()
        UnplacedLine.objects.filter(pk=line.pk).delete()
        ReviewCampaign.objects.filter(pk__in=[open_campaign.pk, closed_campaign.pk]).delete()
        ModelLogEntry.objects.filter(pk__gt=last_log).delete()
        Session.objects.filter(session_key__in=sessions.values()).delete()
        get_user_model().objects.filter(pk__in=[u.pk for u in users.values()]).delete()


SCREENS = [
    "accueil-partenaire",
    "mes-engagements",
    "modification-engagement",
    "mise-a-jour-groupee",
    "propositions",
    "examen-proposition",
    "tableaux-de-bord",
    "indicateurs",
    "campagnes",
    "campagne",
    "campagne-close",
    "cloture-confirmation",
    "reouverture",
    "editeur-charte",
    "lignes-a-placer",
    "ligne-a-placer",
    "ecarter-ligne",
]


@pytest.mark.parametrize("width", list(WIDTHS), ids=list(WIDTHS))
@pytest.mark.parametrize("screen", SCREENS)
def test_admin_screen_has_no_accessibility_violation(open_admin_page, world, screen, width):
    role, path = world["paths"][screen]
    page = open_admin_page(path, session=world["sessions"][role], width=WIDTHS[width])
    assert page.status == 200, (screen, page.url)
    assert "/login/" not in page.url
    if os.environ.get("ADMIN_SCREENSHOTS"):  # a folder: the screens to look at, as PNG
        folder = Path(os.environ["ADMIN_SCREENSHOTS"])
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=folder / f"{screen}-{WIDTHS[width]}.png", full_page=True)
    violations = axe_violations(page, exclude=WAGTAIL_EXCLUSIONS.get(screen))
    assert violations == [], f"{screen} ({width}):\n{describe_violations(violations)}"
    assert page_overflow(page) <= 0, f"{screen} ({width}) défile horizontalement"
    assert unlabelled_table_scrollers(page) == [], screen
    assert page.errors == [], page.errors
