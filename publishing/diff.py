"""Clause-level comparison of two version snapshots: what was added, removed or changed."""

import difflib
import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from charter.choices import FICHE_FIELDS

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
KIND_LABELS = {ADDED: "Ajouté", REMOVED: "Supprimé", CHANGED: "Modifié"}
CHARTER_FIELDS = (
    ("title", "Titre"),
    ("territory", "Territoire"),
    ("start_date", "Date d'entrée en vigueur"),
    ("end_date", "Date de fin"),
    ("duration_years", "Durée (années)"),
    ("introduction", "Préambule"),
    ("quantitative_objectives", "Objectifs quantitatifs"),
    ("qualitative_objectives", "Objectifs qualitatifs"),
    ("governance", "Modalités de suivi, d'évaluation et de révision"),
)
ACTION_FIELDS = (("title", "Intitulé"), ("tagline", "Accroche"), *FICHE_FIELDS)


@dataclass
class FieldChange:
    label: str
    before: str
    after: str

    @property
    def html(self) -> SafeString:
        """The change word by word: <del> for removed words, <ins> for added ones."""
        return inline_diff(self.before, self.after)


@dataclass
class Change:
    kind: str
    label: str
    fields: list[FieldChange] = field(default_factory=list)
    text: str = ""

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass
class Section:
    title: str
    changes: list[Change]


def normalise(text: str) -> str:
    """The text as compared: `\\n` line endings, no trailing spaces, no blank lines at the ends."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


_LIST_ITEM = re.compile(r"^\s{0,3}(?:(?P<bullet>[-*+])|(?P<number>\d{1,9})[.)])\s+")


def markdown_blocks(text: str) -> list[tuple[str, str]]:
    """The Markdown blocks of a text, in order, as (kind, text): "p", "ul" or "ol" items.

    Paragraphs are separated by blank lines; each list item is a block of its own (its marker
    removed), so that a list stays a list in the comparison.
    """
    blocks: list[tuple[str, str]] = []
    current: list[str] = []
    kind = "p"

    def close():
        if current:
            blocks.append((kind, " ".join(part.strip() for part in current)))
            current.clear()

    for line in normalise(text).split("\n"):
        if not line.strip():
            close()
            kind = "p"
            continue
        item = _LIST_ITEM.match(line)
        if item:
            close()
            kind = "ul" if item.group("bullet") else "ol"
            current.append(line[item.end() :])
        else:
            current.append(line)
    close()
    return blocks


def _words(text: str) -> list[str]:
    return re.findall(r"\S+|\s+", text or "")


def _marked(tag: str, text: str) -> str:
    """<ins>/<del> with a text alternative for screen readers (the colour is not the message)."""
    label = "ajouté" if tag == "ins" else "supprimé"
    return (
        f'<{tag}><span class="diff-alt">[{label} : </span>{escape(text)}'
        f'<span class="diff-alt">]</span></{tag}>'
    )


def _inline(before: str, after: str) -> str:
    old, new = _words(before), _words(after)
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old[i1:i2])))
            continue
        if i2 > i1:
            parts.append(_marked("del", "".join(old[i1:i2])))
        if j2 > j1:
            parts.append(_marked("ins", "".join(new[j1:j2])))
    return "".join(parts)


def _render_blocks(rendered: list[tuple[str, str]]) -> str:
    """Consecutive list items in one <ul>/<ol>; each paragraph in a <p>."""
    html: list[str] = []
    open_list = None
    for kind, body in rendered:
        if kind != open_list and open_list:
            html.append(f"</{open_list}>")
            open_list = None
        if kind == "p":
            html.append(f"<p>{body}</p>")
            continue
        if open_list is None:
            html.append(f"<{kind}>")
            open_list = kind
        html.append(f"<li>{body}</li>")
    if open_list:
        html.append(f"</{open_list}>")
    return "".join(html)


def inline_diff(before: str, after: str) -> SafeString:
    """The change block by block (paragraphs, list items), word by word inside a changed block.

    Escaped HTML: <del> for removed words, <ins> for added ones, each with a hidden text
    alternative; line endings and trailing spaces never count as a change.
    """
    old, new = markdown_blocks(before), markdown_blocks(after)
    rendered: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rendered.extend((kind, escape(text)) for kind, text in old[i1:i2])
            continue
        paired = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for (_, old_text), (kind, new_text) in zip(
            old[i1 : i1 + paired], new[j1 : j1 + paired], strict=True
        ):
            rendered.append((kind, _inline(old_text, new_text)))
        rendered.extend((kind, _marked("del", text)) for kind, text in old[i1 + paired : i2])
        rendered.extend((kind, _marked("ins", text)) for kind, text in new[j1 + paired : j2])
    return mark_safe(_render_blocks(rendered))  # noqa: S308 - every piece is escaped above


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _field_changes(old: dict, new: dict, fields) -> list[FieldChange]:
    return [
        FieldChange(label, _text(old.get(name)), _text(new.get(name)))
        for name, label in fields
        if normalise(_text(old.get(name))) != normalise(_text(new.get(name)))
    ]


def _keyed_section(title, old_items, new_items, key, label, fields, text_of) -> Section:
    old_map = {key(item): item for item in old_items}
    new_map = {key(item): item for item in new_items}
    changes: list[Change] = []
    for k, item in new_map.items():
        if k not in old_map:
            changes.append(Change(ADDED, label(item), text=text_of(item)))
        else:
            diffs = _field_changes(old_map[k], item, fields)
            if diffs:
                changes.append(Change(CHANGED, label(item), fields=diffs))
    changes.extend(
        Change(REMOVED, label(item), text=text_of(item))
        for k, item in old_map.items()
        if k not in new_map
    )
    return Section(title, changes)


def _actions(snapshot: dict) -> list[dict]:
    return [
        {**action, **action["fiche"], "related": action["related"], "orientation": o["number"]}
        for o in snapshot["orientations"]
        for action in o["actions"]
    ]


def compare(old: dict, new: dict) -> list[Section]:
    """The sections of changes from `old` to `new` (only sections with changes)."""
    charter_changes = _field_changes(old["charter"], new["charter"], CHARTER_FIELDS)
    sections = [
        Section(
            "Dispositions générales",
            [Change(CHANGED, "Charte", fields=charter_changes)] if charter_changes else [],
        ),
        _keyed_section(
            "Orientations",
            old["orientations"],
            new["orientations"],
            key=lambda o: o["number"],
            label=lambda o: f"Orientation {o['number']} : {o['title']}",
            fields=(("title", "Intitulé"), ("introduction", "Introduction"), ("stakes", "Enjeux")),
            text_of=lambda o: o["introduction"],
        ),
        _keyed_section(
            "Actions et fiches action",
            _actions(old),
            _actions(new),
            key=lambda a: a["code"],
            label=lambda a: f"Action {a['code']} : {a['title']}",
            fields=(*ACTION_FIELDS, ("related", "Liens avec d'autres fiches")),
            text_of=lambda a: a["tagline"] or a["title"],
        ),
        _keyed_section(
            "Engagements des partenaires",
            old["commitments"],
            new["commitments"],
            key=lambda c: (c["partner"], c["action"], c["position"]),
            label=lambda c: f"{c['partner']} — action {c['action']}, engagement {c['position']}",
            fields=(("text", "Engagement"),),
            text_of=lambda c: c["text"],
        ),
        _keyed_section(
            "Signataires",
            old["signatories"],
            new["signatories"],
            key=lambda s: s["partner"],
            label=lambda s: s["partner"],
            fields=(("role", "Rôle"), ("signer_name", "Signataire"), ("signer_title", "Qualité")),
            text_of=lambda s: s["signer_name"],
        ),
        _keyed_section(
            "Déclarations",
            old["declarations"],
            new["declarations"],
            key=lambda d: (d["partner"], d["title"]),
            label=lambda d: d["title"],
            fields=(("text", "Texte"),),
            text_of=lambda d: d["text"],
        ),
        _keyed_section(
            "Lexique et sigles",
            old["lexicon"],
            new["lexicon"],
            key=lambda e: e["term"].lower(),
            label=lambda e: e["term"],
            fields=(("definition", "Définition"),),
            text_of=lambda e: e["definition"],
        ),
        _keyed_section(
            "Maires souhaitant être invités à la CCAPEX",
            old.get("mayors", []),
            new.get("mayors", []),
            key=lambda m: m["commune"],
            label=lambda m: f"{m['commune']} ({m['mayor_name']})",
            fields=(("mayor_name", "Maire"), ("requested_on", "Date de la demande")),
            text_of=lambda m: m["requested_on"] or "",
        ),
    ]
    return [section for section in sections if section.changes]
