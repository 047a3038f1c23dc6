"""Named reads of the help for households."""

from wagtail.models import Page

from charter.models import public_page_q
from charter.selectors import current_charter
from glossary.selectors import lexicon_for_charter

from .models import Contact, HelpIndexPage, HelpStagePage


def help_index() -> HelpIndexPage | None:
    """The published help page (« Locataire en difficulté ? »), if any."""
    return HelpIndexPage.objects.filter(public_page_q()).order_by("path").first()


def help_stages(*, index: Page) -> list[HelpStagePage]:
    """The published stages below the help page, in the editors' order."""
    return list(HelpStagePage.objects.child_of(index).filter(public_page_q()).order_by("path"))


def help_owner_pages(*, index: Page) -> list[Page]:
    """The published editorial pages below the help page (e.g. « Propriétaire »)."""
    return list(
        index.get_children().not_type(HelpStagePage).filter(public_page_q()).order_by("path")
    )


def stage_contacts(*, stage: HelpStagePage) -> list[Contact]:
    """The directory's contacts that help at this stage."""
    return list(Contact.objects.filter(stages=stage))


def directory() -> list[Contact]:
    """Every contact of the directory, with the stages where each one helps."""
    return list(Contact.objects.prefetch_related("stages"))


def help_page_context(*, page: Page) -> dict:
    """What the help page and the stage pages show: stages, numbers, contacts, lexicon."""
    charter = current_charter()
    index = page if isinstance(page, HelpIndexPage) else page.get_parent().specific
    stages = help_stages(index=index)
    context = {
        "help_index": index,
        "stages": stages,
        "lexicon": lexicon_for_charter(charter=charter) if charter else None,
    }
    if isinstance(page, HelpStagePage):
        position = next((i for i, stage in enumerate(stages) if stage.pk == page.pk), None)
        context["stage_number"] = position + 1 if position is not None else None
        context["previous_stage"] = stages[position - 1] if position else None
        context["next_stage"] = (
            stages[position + 1] if position is not None and position + 1 < len(stages) else None
        )
        context["contacts"] = stage_contacts(stage=page)
        context["directory_is_empty"] = not context["contacts"] and not Contact.objects.exists()
    else:
        context["owner_pages"] = help_owner_pages(index=index)
        context["directory"] = directory()
    return context


def help_links() -> list[dict]:
    """The help entries of the home page, the menu and the footer, tenants first, then owners.

    Each one: ``label`` (menu), ``title`` (the page's) and ``url``.
    """
    index = help_index()
    if index is None:
        return []
    links = [{"label": index.title, "title": index.title, "url": index.url}]
    links += [
        {"label": "Propriétaire", "title": page.title, "url": page.url}
        for page in index.owner_pages[:1]
    ]
    return links
