"""Builds pandoc Markdown from a version snapshot, in the order of the web page."""

import datetime
import re

from django.utils.formats import date_format

from charter.choices import FICHE_FIELDS, DocumentType, SignatoryRole

FICHE_LABELS = dict(FICHE_FIELDS)
SIGNATORY_STYLE = "Signataire"
SIGNATURE_STYLE = "Bloc de signature"
SIGNATURE_SPACE_STYLE = "Espace de signature"
ENGAGEMENTS_ANNEX = "Annexe 1 – Engagements des partenaires"
LEXICON_ANNEX = "Annexe 2 – Lexique et sigles"
MAYORS_ANNEX = "Annexe 3 – Maires souhaitant être invités aux réunions de la CCAPEX"
SIGNATURES_HEADING = "Signatures"


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


# A line of hyphens after a blank line and before text opens a YAML metadata block in pandoc.
_YAML_OPENER = re.compile(r"(\A|\n[ \t]*\n)-{3,}[ \t]*(?=\n[ \t]*\S)")


def block(text: str) -> str:
    """User Markdown kept as is, except headings demoted to bold, images reduced to their alt
    text (see strip_images) and no YAML metadata block (it would replace the cover's title,
    dates or fingerprint): its opening line becomes the horizontal rule `* * *`."""
    text = strip_images((text or "").replace("\r\n", "\n").strip())
    text = _YAML_OPENER.sub(r"\1* * *", text)
    return re.sub(r"^#{1,6}\s+(.+)$", r"**\1**", text, flags=re.MULTILINE)


def list_item(text: str, indent: str = "") -> str:
    """A Markdown list item whose continuation lines (nested lists) are indented under it."""
    lines = block(text).split("\n")
    rest = [f"{indent}    {line}" if line.strip() else "" for line in lines[1:]]
    return "\n".join([f"{indent}- {lines[0]}", *rest])


def french_date(value: str | None) -> str:
    if not value:
        return ""
    return date_format(datetime.date.fromisoformat(value), "j F Y")


def yaml_string(text: str) -> str:
    return '"' + (text or "").replace("\\", "\\\\").replace('"', '\\"') + '"'


def build_markdown(snapshot: dict, *, fingerprint: str) -> str:
    """The whole charter as pandoc Markdown: cover, body, annexes and signature page."""
    charter = snapshot["charter"]
    version = snapshot["version"]
    kind = DocumentType(charter["document_type"]).label
    subtitle = f"{kind} — {charter['territory']}"
    dated = f"{version['name']} — {french_date(version['date'])}"
    out: list[str] = [
        "---",
        f"title: {yaml_string(charter['title'])}",
        f"subtitle: {yaml_string(subtitle)}",
        f"date: {yaml_string(dated)}",
        f"abstract: {yaml_string(fingerprint)}",
        "abstract-title: Empreinte SHA-256 de la version",
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

    heading(1, "Préambule")
    para(charter["introduction"] or "Le préambule n'est pas renseigné.")
    dates = []
    if charter["start_date"]:
        dates.append(f"Entrée en vigueur : {french_date(charter['start_date'])}.")
    if charter["end_date"]:
        dates.append(f"Fin : {french_date(charter['end_date'])}.")
    if charter["duration_years"]:
        dates.append(f"Durée : {charter['duration_years']} ans.")
    if dates:
        para(" ".join(dates))
    for key, label in (
        ("quantitative_objectives", "Objectifs quantitatifs"),
        ("qualitative_objectives", "Objectifs qualitatifs"),
        ("governance", "Suivi, évaluation et révision de la charte"),
    ):
        if charter.get(key, "").strip():
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

    _engagements_annex(snapshot, heading, out)

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

    heading(1, LEXICON_ANNEX)
    if snapshot["lexicon"]:
        out.extend(["| Sigle ou terme | Signification |", "|:--|:------|"])
        out.extend(
            f"| {inline(e['term'])} | {inline(e['definition'])} |" for e in snapshot["lexicon"]
        )
        out.extend(["", ": Lexique et sigles", ""])
    else:
        para("Le lexique est vide.")

    heading(1, MAYORS_ANNEX)
    if snapshot.get("mayors"):
        out.extend(["| Commune | Maire | Date de la demande |", "|:--|:--|:--|"])
        out.extend(
            f"| {inline(m['commune'])} | {inline(m['mayor_name'])} | "
            f"{french_date(m['requested_on'])} |"
            for m in snapshot["mayors"]
        )
        out.append("")
    else:
        para("Aucun maire n'a demandé à être invité aux réunions de la CCAPEX.")

    heading(1, SIGNATURES_HEADING)
    para(f"Fait pour la version « {inline(version['name'])} » de la charte.")
    for signatory in snapshot["signatories"]:
        role = SignatoryRole(signatory["role"]).label
        organisation = inline(signatory["partner"])
        if signatory["short_name"] and signatory["short_name"] != signatory["partner"]:
            organisation += f" ({inline(signatory['short_name'])})"
        out.extend(
            [
                f'::: {{custom-style="{SIGNATORY_STYLE}"}}',
                f"{organisation} — {role}",
                ":::",
                "",
                f'::: {{custom-style="{SIGNATURE_STYLE}"}}',
                f"Nom : {inline(signatory['signer_name']) or '…'}  ",
                f"Qualité : {inline(signatory['signer_title']) or '…'}  ",
                "Date : ……………………",
                ":::",
                "",
                f'::: {{custom-style="{SIGNATURE_SPACE_STYLE}"}}',
                "Signature :",
                ":::",
                "",
            ]
        )
    return "\n".join(out) + "\n"


def _engagements_annex(snapshot: dict, heading, out: list[str]) -> None:
    """Partner → orientation → action → commitments (nested lists kept)."""
    heading(1, ENGAGEMENTS_ANNEX)
    orientation_titles = {o["number"]: o["title"] for o in snapshot["orientations"]}
    action_titles = {a["code"]: a["title"] for o in snapshot["orientations"] for a in o["actions"]}
    action_rank = {
        a["code"]: (o["number"], a["number"])
        for o in snapshot["orientations"]
        for a in o["actions"]
    }
    by_partner: dict[str, list[dict]] = {}
    for commitment in snapshot["commitments"]:
        by_partner.setdefault(commitment["partner"], []).append(commitment)
    order = [s["partner"] for s in snapshot["signatories"] if s["partner"] in by_partner]
    order += sorted(p for p in by_partner if p not in order)
    if not order:
        out.extend(["Aucun engagement n'est saisi.", ""])
    for partner in order:
        heading(2, partner)
        commitments = sorted(
            by_partner[partner],
            key=lambda c: (*action_rank.get(c["action"], (99, 99)), c["position"]),
        )
        current_orientation = current_action = None
        for commitment in commitments:
            if commitment["orientation"] != current_orientation:
                current_orientation = commitment["orientation"]
                title = orientation_titles.get(current_orientation, "")
                heading(3, f"Orientation {current_orientation} : {title}")
                current_action = None
            if commitment["action"] != current_action:
                current_action = commitment["action"]
                heading(4, f"Action {current_action} : {action_titles.get(current_action, '')}")
            out.extend([list_item(commitment["text"]), ""])
