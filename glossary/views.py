"""The public lexicon page (/lexique/)."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.module_loading import import_string

from core.params import BadParameter, bad_request
from core.params import text as text_param

from .selectors import lexicon_for_charter, lexicon_groups, public_charter


def _charter_in_force():
    """The charter in force, read by the selector the project names in settings.

    glossary imports neither charter nor engagements: the project (config) wires
    ``charter.selectors.current_charter`` in as ``GLOSSARY_CHARTER_IN_FORCE``.
    """
    path = getattr(settings, "GLOSSARY_CHARTER_IN_FORCE", "")
    return import_string(path)() if path else None


def lexicon(request):
    """Every lexicon entry of the charter in force (or of ``?charte=<slug>``), A to Z."""
    try:
        slug = text_param(request.GET, "charte").strip()
    except BadParameter as error:
        return bad_request(request, error)
    if slug:
        charter = public_charter(slug=slug)
        if charter is None:
            raise Http404("Aucune charte publiée ne porte ce nom.")
    else:
        charter = _charter_in_force()
    lexicon = lexicon_for_charter(charter=charter)
    index, groups = lexicon_groups(lexicon=lexicon)
    return render(
        request,
        "glossary/lexicon.html",
        {
            "charter": charter,
            "lexicon": lexicon,
            "letter_index": index,
            "letter_groups": groups,
            "breadcrumbs": [{"title": "Lexique et sigles", "url": ""}],
        },
    )
