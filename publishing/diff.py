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


def inline_diff(before: str, after: str) -> SafeString:
    """Word-level diff of two texts as escaped HTML with <del>/<ins>."""
    old, new = re.findall(r"\S+|\s+", before or ""), re.findall(r"\S+|\s+", after or "")
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old[i1:i2])))
            continue
        if i2 > i1:
            parts.append(f"<del>{escape(''.join(old[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{escape(''.join(new[j1:j2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


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
        if _text(old.get(name)).strip() != _text(new.get(name)).strip()
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
