"""Template tags of the engagements app."""

from html import (
    escape as _escape,
)  # what django.utils.html.escape returns, without the lazy wrapper

from django import template
from django.urls import get_script_prefix, reverse
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language

from core.templatetags.french import date_fr
from core.text import RenderCache
from glossary.linking import linked_markdown

from ..choices import CommitmentStatus
from ..models import is_overdue_on, shared_with_phrase

register = template.Library()

STATUS_LABELS = {value: str(label) for value, label in CommitmentStatus.choices}
_HISTORY_SENTINEL = 987654321
_history_url_parts: dict[str, tuple[str, str]] = {}


def _history_url(pk: int) -> str:
    """The public history URL of a commitment: `reverse` once per process, not once per item."""
    prefix = get_script_prefix()
    parts = _history_url_parts.get(prefix)
    if parts is None:
        url = reverse("engagements_public:commitment_history", args=[_HISTORY_SENTINEL])
        before, _sentinel, after = url.partition(str(_HISTORY_SENTINEL))
        parts = _history_url_parts[prefix] = (before, after)
    return f"{parts[0]}{int(pk)}{parts[1]}"


def _date(value, format_string: str) -> str:
    """What `{{ value|date:"…" }}` prints (local time for a datetime)."""
    return formats.date_format(template_localtime(value), format_string) if value else ""


def _prose_date(value) -> str:
    """What `{{ value|date_fr }}` prints: « 1er mars 2024 » (local day for a datetime)."""
    return date_fr(template_localtime(value)) if value else ""


def _badges(status: str, overdue: bool) -> str:
    """The status badge, and « en retard » when it is (escaped HTML)."""
    html = (
        f'<span class="badge badge--{_escape(str(status))}"><span '
        f'class="visually-hidden">Statut : </span>{_escape(STATUS_LABELS.get(status, status))}'
        "</span>"
    )
    if overdue:
        html += ' <span class="badge badge--overdue">en retard</span>'
    return html


@register.simple_tag
def status_badges(commitment) -> str:
    """`{% status_badges commitment %}`: the status badge, and « en retard » when it is.

    The one way a commitment's status is drawn on public pages (a tag, not an include: the
    matrix draws hundreds of them).
    """
    return mark_safe(_badges(commitment.status, commitment.is_overdue))  # noqa: S308 - escaped


# Each commitment's <li> of the charter and action pages, memoised per worker by everything it
# shows (core.text.RenderCache): its texts, status, « en retard » (today's answer), dates (and the
# language and time zone that print them), partner short name, action code, lexicon version. A
# change to any of them is a new key, so a page never shows a stale item; a render assembles
# cached items. About 16 M characters: the 10,228 commitments of the bench's `large` (key ~0.4 k +
# item ~0.9 k characters each).
item_cache = RenderCache(max_chars=16_000_000)


def _locale() -> tuple[str, str]:
    """What the dates of an item depend on besides their value: language and time zone."""
    return (get_language(), timezone.get_current_timezone_name())


def _time(value) -> str:
    return f'<time datetime="{_escape(_date(value, "Y-m-d"))}">{_escape(_prose_date(value))}</time>'


def _item_html(
    commitment, partner_short_name: str, action_code: str, lexicon, overdue, co_partners
) -> str:
    text = linked_markdown(commitment.text, lexicon)
    due = f" · échéance : {_date(commitment.due_date, 'd/m/Y')}" if commitment.due_date else ""
    if co_partners:  # a shared commitment, under its porteur: the others who share it
        due += f" · {shared_with_phrase(list(co_partners))}"
    narrative = ""
    if commitment.narrative:
        reported = (
            f" du {_time(commitment.last_reported_at)}" if commitment.last_reported_at else ""
        )
        narrative = (
            '<div class="commitment__narrative"><p><strong>Point d\'avancement</strong>'
            f"{reported}</p>{linked_markdown(commitment.narrative, lexicon)}</div>"
        )
    pk = int(commitment.pk)
    # Plain f-strings, every value escaped (format_html costs more than the item's text here).
    return (
        f'<li id="engagement-{pk}">\n      {text}\n      <p class="meta">'
        f"{_badges(commitment.status, overdue)}{_escape(due)} · "
        f'<a href="{_escape(_history_url(pk))}">Historique<span class="visually-hidden"> de '
        f"l’engagement n° {pk} ({_escape(str(partner_short_name))}, action "
        f"{_escape(str(action_code))})</span></a></p>\n      {narrative}\n    </li>"
    )


def _item(commitment, partner_short_name, action_code, lexicon, *, today, locale) -> str:
    """One commitment's `<li>` (`commitment`: a model instance or a row with the same names)."""
    status, due_date = commitment.status, commitment.due_date
    overdue = is_overdue_on(due_date=due_date, status=status, today=today)
    # Rows (charter.models.pages.CommitmentRow) carry their co-partners' short names.
    co_partners = getattr(commitment, "co_partner_names", ())
    key = (
        commitment.pk,
        commitment.text,
        status,
        due_date,
        overdue,
        commitment.narrative,
        commitment.last_reported_at,
        str(partner_short_name),
        str(action_code),
        lexicon.version if lexicon else "",
        get_script_prefix(),
        locale,
        co_partners,
    )
    return item_cache.get_or_render(
        key,
        lambda: _item_html(
            commitment, partner_short_name, action_code, lexicon, overdue, co_partners
        ),
    )


@register.simple_tag
def commitment_item(commitment, partner, action, lexicon) -> str:
    """`{% commitment_item commitment partner action lexicon %}`: one commitment's `<li>` on the
    charter and action pages (a tag, not template code: the charter page draws every commitment;
    10,000 in the bench's `large`). Its texts go through the `markdown` and `abbreviations`
    filters' functions; the item is rendered once per content (`item_cache`)."""
    html = _item(
        commitment,
        partner.short_name,
        action.code,
        lexicon,
        today=timezone.localdate(),
        locale=_locale(),
    )
    return mark_safe(html)  # noqa: S308 - texts sanitised by nh3 and linked; values escaped


@register.simple_tag
def commitments_by_partner(groups, action, lexicon, level) -> str:
    """`{% commitments_by_partner groups action lexicon level %}`: an action's commitments grouped
    by partner (`groups` = [(partner, [commitment, …])]), under `<h{level}>` partner names; the
    bytes the include `charter/includes/commitments_by_partner.html` printed (issue 19)."""
    today, locale = timezone.localdate(), _locale()
    code = str(action.code)
    tag = "h4" if level == 4 else "h3"
    parts = ["\n"]
    for partner, commitments in groups:
        parts.append(
            f'\n<div class="partner-commitments">\n  <{tag} id="action-{_escape(code)}-partenaire-'
            f'{_escape(str(partner.slug))}">{_escape(str(partner.name))}</{tag}>\n'
            '  <ul class="commitments">\n    '
        )
        for commitment in commitments:
            parts.append("\n    ")
            parts.append(
                _item(
                    commitment,
                    partner.short_name,
                    code,
                    lexicon,
                    today=today,
                    locale=locale,
                )
            )
            parts.append("\n    ")
        parts.append("\n  </ul>\n</div>\n")
    parts.append("\n")
    return mark_safe("".join(parts))  # noqa: S308 - items as above; values escaped


def _evidence(evidence, pk: int) -> str:
    """engagements/public/includes/evidence.html."""
    if not evidence:
        return ""
    document, url = evidence.get("document"), evidence.get("url")
    html = (
        '<p class="commitment__evidence"><strong>Justificatif publié par le partenaire :</strong>'
    )
    if document:
        html += (
            f' <a href="{_escape(str(document.url))}">{_escape(str(document.title))}<span '
            f'class="visually-hidden"> (document, engagement n° {pk})</span></a>'
        )
    if document and url:
        html += " ·"
    if url:
        html += (
            f' <a href="{_escape(str(url))}">lien vers le justificatif<span '
            f'class="visually-hidden"> de l\'engagement n° {pk}</span></a>'
        )
    return html + "</p>"


@register.simple_tag
def partner_commitment_item(commitment, partner, lexicon) -> str:
    """`{% partner_commitment_item commitment partner lexicon %}`: one commitment's `<li>` on the
    partner page, the bytes its template code (and the progress and evidence includes) printed,
    in Python: the heaviest partner page draws 1,400 of them in the bench's `large` (issue 19)."""
    pk = int(commitment.pk)
    status = commitment.status
    shared = ""
    if commitment.co_partners.all():
        shared = "\n        · Engagement partagé " + _escape(
            commitment.shared_with(partner_id=getattr(partner, "pk", None))
        )
    progress = _escape(str(commitment.progress))
    due = f"· Échéance : {_time(commitment.due_date)}" if commitment.due_date else ""
    narrative = ""
    if commitment.narrative:
        noted = getattr(commitment, "progress_note_date", None)
        predates = getattr(commitment, "progress_note_predates", None)
        narrative = (
            '<div class="commitment__narrative"><p><strong>Point d\'avancement</strong>'
            + (f" du {_time(noted)}" if noted else "")
            + "</p>"
            + (
                '<p class="meta">Ce point d\'avancement est antérieur au passage au statut « '
                f"{_escape(STATUS_LABELS.get(status, status))} », le {_time(predates)} : il peut "
                "ne plus refléter la situation.</p>"
                if predates
                else ""
            )
            + linked_markdown(commitment.narrative, lexicon)
            + "</div>"
        )
    evidence = _evidence(getattr(commitment, "public_evidence", None), pk)
    return mark_safe(  # noqa: S308 - texts sanitised by nh3 and linked; values escaped
        f'<li id="engagement-{pk}" class="commitment">\n'
        f'      <div class="commitment__text">{linked_markdown(commitment.text, lexicon)}</div>\n'
        f'      <p class="meta">{_badges(status, commitment.is_overdue)}{shared}\n'
        f'        · <progress max="100" value="{progress}" aria-hidden="true"></progress> '
        f"<span>Avancement : {progress} %</span>\n\n"
        f"        {due}\n"
        f'        · <a href="{_escape(_history_url(pk))}">Historique<span class="visually-hidden">'
        f" de l'engagement n° {pk}</span></a></p>\n"
        f"      {narrative}\n"
        f"      {evidence}\n\n"
        "    </li>"
    )


@register.inclusion_tag("wagtailadmin/shared/buttons.html", takes_context=True)
def commitment_bulk_action_choices(context, app_label, model_name):
    """Wagtail's bulk action buttons, without those the user may not use (no dead end)."""
    from django.urls import reverse
    from wagtail.admin.templatetags.wagtailadmin_tags import bulk_action_choices
    from wagtail.admin.views.bulk_action.registry import bulk_action_registry

    user = context["request"].user
    refused = {
        reverse("wagtail_bulk_action", args=[app_label, model_name, action.action_type])
        for action in bulk_action_registry.get_bulk_actions_for_model(app_label, model_name)
        if hasattr(action, "is_shown_to") and not action.is_shown_to(user)
    }
    result = bulk_action_choices(context, app_label, model_name)
    result["buttons"] = [button for button in result["buttons"] if button.url not in refused]
    return result


@register.simple_tag
def shared_with(commitment, partner=None) -> str:
    """`{% shared_with commitment partner %}`: « avec X et Y » (its owners but `partner`)."""
    return commitment.shared_with(partner_id=getattr(partner, "pk", None))
