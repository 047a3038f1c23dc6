"""The public page types, one URL each on the synthetic charter: shared by the accessibility, query
budget and injection tests so that a new page type is checked by all of them."""

from django.urls import reverse

from charter.models import ActionPage, OrientationPage
from engagements.models import Commitment
from publishing.models import CharterVersion

THEMES = ["dsfr", "neutral"]
PAGE_KINDS = [
    "accueil",
    "aide",
    "etape-aide",
    "charte",
    "orientation",
    "action",
    "fiche-du-plan",
    "matrice",
    "avancement",
    "partenaires",
    "partenaire",
    "historique-engagement",
    "lexique",
    "recherche",
    "accessibilite",
    "mentions-legales",
    "donnees-personnelles",
    "plan-du-site",
    "versions",
    "version",
    "changements",
    "donnees-ouvertes",
    "page-introuvable",
]


def page_path(kind: str, charter, plan) -> str:
    """The URL of one page of each public page type, on the synthetic charter."""
    if kind == "accueil":
        return "/"
    if kind == "aide":
        return "/aide/"
    if kind == "etape-aide":
        return "/aide/le-commandement-de-payer/"
    if kind == "charte":
        return charter.url
    if kind == "orientation":
        return OrientationPage.objects.child_of(charter).get(number=2).url
    if kind == "action":
        return ActionPage.objects.descendant_of(charter).get(number=3).url
    if kind == "fiche-du-plan":
        return ActionPage.objects.descendant_of(plan).get(code="3-4").url
    if kind == "matrice":
        return reverse("engagements_public:matrix", kwargs={"charter_slug": charter.slug})
    if kind == "avancement":
        return reverse("monitoring_public:progress", kwargs={"charter_slug": charter.slug})
    if kind == "partenaires":
        return reverse("engagements_public:partner_list")
    if kind == "partenaire":
        return reverse("engagements_public:partner", kwargs={"slug": "caf"})
    if kind == "historique-engagement":
        commitment = Commitment.objects.for_charter(charter).order_by("pk").first()
        return reverse("engagements_public:commitment_history", kwargs={"pk": commitment.pk})
    if kind == "lexique":
        return reverse("glossary:lexicon")
    if kind == "recherche":
        return reverse("pages:search") + "?q=logement"
    if kind in {"accessibilite", "mentions-legales", "donnees-personnelles", "plan-du-site"}:
        return f"/{kind}/"
    if kind == "versions":
        return reverse("publishing:version_list", kwargs={"charter_slug": charter.slug})
    if kind == "version":
        version = CharterVersion.objects.filter(charter=charter, is_public=True).first()
        return reverse(
            "publishing:version_detail", kwargs={"charter_slug": charter.slug, "pk": version.pk}
        )
    if kind == "changements":
        return reverse("publishing:version_changes", kwargs={"charter_slug": charter.slug})
    if kind == "donnees-ouvertes":
        return reverse("opendata_index")
    if kind == "page-introuvable":
        return "/cette-page-n-existe-pas/"
    raise ValueError(kind)
