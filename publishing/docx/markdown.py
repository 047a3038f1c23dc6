"""Builds pandoc Markdown from a version snapshot, in the order of the web page."""

import datetime
import re
from dataclasses import dataclass

from charter.choices import FICHE_FIELDS, DocumentType
from core.text import french_date as prose_date

FICHE_LABELS = dict(FICHE_FIELDS)
SIGNATURES_PLACEHOLDER_STYLE = "Emplacement des signatures"
SIGNED_AT_STYLE = "Fait à"
FINGERPRINT_STYLE = "Empreinte"
ENGAGEMENTS_ANNEX = "Engagements des partenaires"
LEXICON_ANNEX = "Lexique et sigles"
MAYORS_ANNEX = "Maires souhaitant être invités aux réunions de la CCAPEX"
SIGNATURES_HEADING = "Signatures"
AUTHENTICATION_HEADING = "Authentification du document"
DOTS = "……………"


def inline(text: str) -> str:
    """Plain text made safe for one line of Markdown (no markup, no line break)."""
    text = " ".join((text or "").split())
    return re.sub(r"([\\`*_\[\]{}<>#|~^$@])", r"\\\1", text)


# An image's alternative text: brackets nested one level deep, backslash escapes.
_ALT = r"(?<!\\)!\[((?:[^\[\]\\]|\\.|\[(?:[^\[\]\\]|\\.)*\])*)\]"
_INLINE_IMAGE = re.compile(
    _ALT + r"(?:\((?:[^()\\]|\\.|\([^()]*\))*\)|\[[^\[\]]*\])(?:\{[^{}]*\})?", re.DOTALL
)
_HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_HTML_ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


def strip_images(text: str) -> str:
    """User Markdown without images: `![alt](…)`, `![alt][ref]` and `<img>` become their alt text.

    User text never embeds a file in a document (a server path, file:// or http:// address
    would be read by pandoc). Any `![` left is escaped, so nothing else can start an image.
    """

    def html_alt(match: re.Match) -> str:
        alt = _HTML_ALT.search(match.group(0))
        return next((group for group in alt.groups() if group is not None), "") if alt else ""

    text = _INLINE_IMAGE.sub(lambda match: match.group(1), text)
    text = _HTML_IMAGE.sub(html_alt, text)
    return text.replace("![", "!\\[")


# The first colon of a line opening or closing a pandoc fenced div (three colons or more).
_DIV_FENCE = re.compile(r"^([ \t]*):(?=::)", re.MULTILINE)
# A line of hyphens after a blank line and before text opens a YAML metadata block in pandoc.
_YAML_OPENER = re.compile(r"(\A|\n[ \t]*\n)-{3,}[ \t]*(?=\n[ \t]*\S)")


def block(text: str) -> str:
    """User Markdown kept as is, except headings demoted to bold, images reduced to their alt
    text (see strip_images), no YAML metadata block (it would replace the cover's title,
    dates or fingerprint: its opening line becomes the horizontal rule `* * *`) and no fenced
    div or bracketed span (their custom style could pose as the document's own)."""
    text = strip_images((text or "").replace("\r\n", "\n").strip())
    text = _YAML_OPENER.sub(r"\1* * *", text)
    # No fenced div (`::: {custom-style=…}`) nor bracketed span (`[…]{…}`): user text may not
    # take one of the document's own styles (signatures placeholder, fingerprint, « Fait à »).
    text = _DIV_FENCE.sub(r"\1\\:", text).replace("]{", "]\\{")
    return re.sub(r"^#{1,6}\s+(.+)$", r"**\1**", text, flags=re.MULTILINE)


def list_item(text: str, indent: str = "") -> str:
    """A Markdown list item whose continuation lines (nested lists) are indented under it."""
    lines = block(text).split("\n")
    rest = [f"{indent}    {line}" if line.strip() else "" for line in lines[1:]]
    return "\n".join([f"{indent}- {lines[0]}", *rest])


def french_date(value: str | None) -> str:
    """A snapshot's ISO date as French prose writes it (« 1er mars 2027 »): core's one rule."""
    if not value:
        return ""
    return prose_date(datetime.date.fromisoformat(value))


def yaml_string(text: str) -> str:
    return '"' + (text or "").replace("\\", "\\\\").replace('"', '\\"') + '"'


def period(charter: dict) -> str:
    """The charter's period for the cover: « 2017 – 2023 », « 6 ans à compter du … », or ""."""
    start, end = charter.get("start_date"), charter.get("end_date")
    if start and end:
        return f"Période {start[:4]} – {end[:4]}"
    if start and charter.get("duration_years"):
        return f"Durée : {charter['duration_years']} ans à compter du {french_date(start)}"
    if charter.get("duration_years"):
        return f"Durée : {charter['duration_years']} ans"
    return ""


def signed_at_line(snapshot: dict) -> str:
    """« Fait à Paris, le 14 décembre 2017, en 14 exemplaires originaux. » (dots where unset)."""
    charter = snapshot["charter"]
    place = inline(charter.get("signing_place") or "") or DOTS
    when = french_date(charter.get("signing_date")) or DOTS
    copies = charter.get("original_copies")
    count = (
        "en un exemplaire original"
        if copies == 1
        else f"en {copies} exemplaires originaux"
        if copies
        else f"en {DOTS} exemplaires originaux"
    )
    return f"Fait à {place}, le {when}, {count}."


def build_markdown(
    snapshot: dict, *, fingerprint: str, engagements_lines: list[str] | None = None
) -> str:
    """The whole charter as pandoc Markdown: cover, body, annexes, signatures, authentication.

    An empty section is left out (the editor's checklist says what is missing); annexes are
    numbered in the order they appear. `engagements_lines` replace the engagements annex below
    its title (see annex.py: the annex written into the DOCX without pandoc).
    """
    charter = snapshot["charter"]
    version = snapshot["version"]
    kind = DocumentType(charter["document_type"]).label
    subtitle = f"{kind} — {charter['territory']}"
    dated = f"Version « {version['name']} » du {french_date(version['date'])}"
    out: list[str] = [
        "---",
        f"title: {yaml_string(charter['title'])}",
        f"subtitle: {yaml_string(subtitle)}",
        f"date: {yaml_string(dated)}",
        "lang: fr-FR",
        "toc-title: Sommaire",
        "---",
        "",
    ]

    def heading(level: int, text: str) -> None:
        out.extend([f"{'#' * level} {inline(text)}", ""])

    def para(text: str) -> None:
        if text and text.strip():
            out.extend([block(text), ""])

    dates = []
    if charter["start_date"]:
        dates.append(f"Entrée en vigueur : {french_date(charter['start_date'])}.")
    if charter["end_date"]:
        dates.append(f"Fin : {french_date(charter['end_date'])}.")
    if charter["duration_years"]:
        dates.append(f"Durée : {charter['duration_years']} ans.")
    general = [
        (key, label)
        for key, label in (
            ("quantitative_objectives", "Objectifs quantitatifs"),
            ("qualitative_objectives", "Objectifs qualitatifs"),
            ("governance", "Suivi, évaluation et révision de la charte"),
        )
        if charter.get(key, "").strip()
    ]
    if (charter["introduction"] or "").strip():
        heading(1, "Préambule")
        para(charter["introduction"])
    elif dates or general:
        heading(1, "Dispositions générales")
    if dates:
        para(" ".join(dates))
    for key, label in general:
        heading(2, label)
        para(charter[key])

    for orientation in snapshot["orientations"]:
        heading(1, f"Orientation {orientation['number']} : {orientation['title']}")
        para(orientation["introduction"])
        if orientation["stakes"].strip():
            out.extend(["**Enjeux**", ""])
            para(orientation["stakes"])
        for action in orientation["actions"]:
            heading(2, f"Action {action['code']} : {action['title']}")
            if action["tagline"]:
                out.extend([f"*{inline(action['tagline'])}*", ""])
            for name, label in FICHE_FIELDS:
                if action["fiche"].get(name, "").strip():
                    heading(3, label)
                    para(action["fiche"][name])
            if action["related"]:
                heading(3, "Liens avec d'autres fiches")
                out.extend([*(f"- Action {inline(code)}" for code in action["related"]), ""])

    annexes = iter(range(1, 10))

    def annex(title: str) -> None:
        heading(1, f"Annexe {next(annexes)} – {title}")

    if snapshot["commitments"]:
        annex(ENGAGEMENTS_ANNEX)
        out.extend(
            engagements_markdown(engagements_outline(snapshot))
            if engagements_lines is None
            else engagements_lines
        )

    if snapshot["declarations"]:
        heading(1, "Déclarations des signataires")
        for declaration in snapshot["declarations"]:
            heading(2, declaration["title"])
            para(declaration["text"])
            place = inline(declaration["place"])
            when = french_date(declaration["signed_on"])
            signed = ", le ".join(part for part in (place, when) if part)
            out.extend(
                [
                    f"{signed}  " if signed else "",
                    f"{inline(declaration['signer_title'])} {inline(declaration['signer_name'])}",
                    "",
                ]
            )

    if snapshot["lexicon"]:
        annex(LEXICON_ANNEX)
        out.extend(["| Sigle ou terme | Signification |", "|:--|:------|"])
        out.extend(
            f"| {inline(e['term'])} | {inline(e['definition'])} |" for e in snapshot["lexicon"]
        )
        out.extend(["", ": Lexique et sigles", ""])

    if snapshot.get("mayors"):
        annex(MAYORS_ANNEX)
        out.extend(["| Commune | Maire | Date de la demande |", "|:--|:--|:--|"])
        out.extend(
            f"| {inline(m['commune'])} | {inline(m['mayor_name'])} | "
            f"{french_date(m['requested_on'])} |"
            for m in snapshot["mayors"]
        )
        out.extend(["", ": Maires souhaitant être invités aux réunions de la CCAPEX", ""])
    elif snapshot.get("no_mayor_request"):
        annex(MAYORS_ANNEX)
        para("Aucun maire n'a demandé à être invité aux réunions de la CCAPEX.")

    if snapshot["signatories"]:
        heading(1, SIGNATURES_HEADING)
        out.extend([f'::: {{custom-style="{SIGNED_AT_STYLE}"}}', signed_at_line(snapshot), ":::"])
        out.extend(["", f'::: {{custom-style="{SIGNATURES_PLACEHOLDER_STYLE}"}}', "—", ":::", ""])

    heading(1, AUTHENTICATION_HEADING)
    when = french_date(version["date"])
    out.extend(
        [
            f"Ce document reproduit la version « {inline(version['name'])} » de la charte"
            + (f", datée du {when}" if when else "")
            + ". Son empreinte numérique SHA-256, calculée sur le contenu figé de cette "
            "version, est :",
            "",
            f'::: {{custom-style="{FINGERPRINT_STYLE}"}}',
            fingerprint,
            ":::",
            "",
            f"Ses douze premiers caractères ({fingerprint[:12]}) figurent au pied de chaque "
            "page. Pour vérifier un exemplaire, comparez cette empreinte à celle qu'affiche la "
            "page publique de la version (rubrique « Versions de la charte » du site) : toute "
            "modification du texte change l'empreinte.",
            "",
        ]
    )
    return "\n".join(out) + "\n"


# The heading of the commitments all the signatories make together (the importer reads it back).
SHARED_HEADING = "Engagements partagés"


@dataclass(frozen=True)
class Heading:
    """A heading of the engagements annex (level 2: partner, 3: orientation, 4: action)."""

    level: int
    text: str


def _commitment_text(commitment: dict) -> str:
    """A commitment's text; shared with named partners, « (avec X, Y) » at its end."""
    text = commitment["text"]
    if commitment.get("co_partners"):
        text = f"{text.rstrip()} (avec {', '.join(commitment['co_partners'])})"
    return text


def engagements_outline(snapshot: dict) -> list[Heading | list[str]]:
    """The engagements annex below its title: partner → orientation → action headings, each
    action followed by the list of its commitments' texts (user Markdown)."""
    orientation_titles = {o["number"]: o["title"] for o in snapshot["orientations"]}
    action_titles = {a["code"]: a["title"] for o in snapshot["orientations"] for a in o["actions"]}
    action_rank = {
        a["code"]: (o["number"], a["number"])
        for o in snapshot["orientations"]
        for a in o["actions"]
    }
    by_partner: dict[str, list[dict]] = {}
    for commitment in snapshot["commitments"]:
        # All the signatories' commitments: under « Engagements partagés », after the partners.
        owner = SHARED_HEADING if commitment.get("all_signatories") else commitment["partner"]
        by_partner.setdefault(owner, []).append(commitment)
    order = [s["partner"] for s in snapshot["signatories"] if s["partner"] in by_partner]
    order += sorted(p for p in by_partner if p not in order and p != SHARED_HEADING)
    order += [SHARED_HEADING] if SHARED_HEADING in by_partner else []
    outline: list[Heading | list[str]] = []
    for partner in order:
        outline.append(Heading(2, partner))
        commitments = sorted(
            by_partner[partner],
            key=lambda c: (*action_rank.get(c["action"], (99, 99)), c["position"]),
        )
        current_orientation = current_action = None
        for commitment in commitments:
            if commitment["orientation"] != current_orientation:
                current_orientation = commitment["orientation"]
                title = orientation_titles.get(current_orientation, "")
                outline.append(Heading(3, f"Orientation {current_orientation} : {title}"))
                current_action = None
            if commitment["action"] != current_action:
                current_action = commitment["action"]
                title = action_titles.get(current_action, "")
                outline.append(Heading(4, f"Action {current_action} : {title}"))
                outline.append([])
            outline[-1].append(_commitment_text(commitment))
    return outline


def engagements_markdown(outline: list[Heading | list[str]]) -> list[str]:
    """The annex's outline as Markdown lines: headings, lists (nested lists kept)."""
    out: list[str] = []
    for entry in outline:
        if isinstance(entry, Heading):
            out.extend([f"{'#' * entry.level} {inline(entry.text)}", ""])
        else:
            for text in entry:
                out.extend([list_item(text), ""])
    return out
