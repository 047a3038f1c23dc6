"""Moves the procedure stages of the home page into one help page per stage.

The home page's « Où trouver de l'aide » (introduction, stages, contacts text) becomes the page
« Locataire en difficulté ? » (/aide/) with one `HelpStagePage` per stage, in the same order,
each field copied as is; a page for owners is added below it. Nothing is dropped here: the old
fields are removed by pages 0006, after this migration. Reversible: the stages go back to the
home page.
"""

from django.db import migrations
from django.utils.text import slugify

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's path alphabet
STEPLEN = 4
INDEX_SLUG = "aide"
INDEX_TITLE = "Locataire en difficulté ?"
OWNERS_SLUG = "proprietaire"
OWNERS_TITLE = "Propriétaire : votre locataire ne paie plus son loyer"
OWNERS_TEXT = """\
Plus un impayé est traité tôt, plus il est facile de trouver une solution, pour vous comme pour \
votre locataire.

## Dès le premier impayé

- Prenez contact avec votre locataire : un retard vient souvent d'une difficulté passagère \
(perte d'emploi, séparation, maladie). Un plan d'apurement amiable, écrit et signé, évite bien \
des procédures.
- Si votre locataire perçoit une aide au logement qui vous est versée directement, signalez \
l'impayé à la CAF ou à la MSA : l'aide peut être maintenue pendant la mise en place d'un plan \
d'apurement.
- Si le loyer est garanti (caution, assurance loyers impayés, garantie Visale), déclarez \
l'impayé dans les délais prévus par le contrat.

## Être conseillé gratuitement

L'ADIL de votre département conseille gratuitement les propriétaires : démarches amiables, aides \
possibles pour le locataire, étapes de la procédure et délais. Ses coordonnées et celles des \
autres services figurent dans les contacts utiles de la page « Locataire en difficulté ? ».

## Les étapes de la procédure

Ce sont les mêmes que pour votre locataire, du commandement de payer à la décision du juge : \
chaque étape est décrite sur la page « Locataire en difficulté ? ».
"""


def _child_path(parent_path, last_child_path):
    number = 0
    if last_child_path is not None:
        for char in last_child_path[-STEPLEN:]:
            number = number * len(ALPHABET) + ALPHABET.index(char)
    number += 1
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return parent_path + digits.rjust(STEPLEN, ALPHABET[0])


def _create_child(apps, parent, model_name, app_label, **fields):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    model = apps.get_model(app_label, model_name)
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model_name)
    children = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
    last = children.order_by("-path").values_list("path", flat=True).first()
    page = model.objects.create(
        draft_title=fields["title"],
        content_type=content_type,
        path=_child_path(parent.path, last),
        depth=parent.depth + 1,
        numchild=0,
        url_path=f"{parent.url_path}{fields['slug']}/",
        live=True,
        locale_id=parent.locale_id,
        show_in_menus=False,
        **fields,
    )
    Page.objects.filter(pk=parent.pk).update(numchild=children.count())
    parent.numchild = children.count()
    return page


def _unique_slug(title, taken):
    base = slugify(title)[:60] or "etape"
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


def forwards(apps, schema_editor):
    Page = apps.get_model("wagtailcore.Page")
    HomePage = apps.get_model("pages.HomePage")
    ProcedureStage = apps.get_model("pages.ProcedureStage")
    HelpIndexPage = apps.get_model("assistance.HelpIndexPage")
    for home in HomePage.objects.all():
        if HelpIndexPage.objects.filter(path__startswith=home.path).exists():
            continue
        slugs = set(
            Page.objects.filter(path__startswith=home.path, depth=home.depth + 1).values_list(
                "slug", flat=True
            )
        )
        index = _create_child(
            apps,
            home,
            "helpindexpage",
            "assistance",
            title=INDEX_TITLE,
            slug=_unique_slug(INDEX_SLUG, slugs),
            introduction=home.help_introduction,
            general_contacts=home.help_contacts,
        )
        stage_slugs = set()
        for stage in ProcedureStage.objects.filter(page=home).order_by("sort_order", "pk"):
            _create_child(
                apps,
                index,
                "helpstagepage",
                "assistance",
                title=stage.title,
                slug=_unique_slug(stage.title, stage_slugs),
                description=stage.description,
                what_to_do=stage.what_to_do,
                who_helps=stage.who_helps,
            )
        _create_child(
            apps,
            index,
            "standardpage",
            "pages",
            title=OWNERS_TITLE,
            slug=_unique_slug(OWNERS_SLUG, stage_slugs),
            body=OWNERS_TEXT,
        )


def backwards(apps, schema_editor):
    Page = apps.get_model("wagtailcore.Page")
    HomePage = apps.get_model("pages.HomePage")
    ProcedureStage = apps.get_model("pages.ProcedureStage")
    HelpIndexPage = apps.get_model("assistance.HelpIndexPage")
    HelpStagePage = apps.get_model("assistance.HelpStagePage")
    for home in HomePage.objects.all():
        index = HelpIndexPage.objects.filter(path__startswith=home.path).first()
        if index is None:
            continue
        home.help_introduction = index.introduction
        home.help_contacts = index.general_contacts
        home.save(update_fields=["help_introduction", "help_contacts"])
        stages = HelpStagePage.objects.filter(path__startswith=index.path).order_by("path")
        if not ProcedureStage.objects.filter(page=home).exists():
            ProcedureStage.objects.bulk_create(
                ProcedureStage(
                    page=home,
                    sort_order=number,
                    title=stage.title,
                    description=stage.description,
                    what_to_do=stage.what_to_do,
                    who_helps=stage.who_helps,
                )
                for number, stage in enumerate(stages)
            )
        Page.objects.filter(path__startswith=index.path).delete()
        count = Page.objects.filter(path__startswith=home.path, depth=home.depth + 1).count()
        Page.objects.filter(pk=home.pk).update(numchild=count)


class Migration(migrations.Migration):
    dependencies = [
        ("assistance", "0001_initial"),
        ("pages", "0005_markdown_help"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
