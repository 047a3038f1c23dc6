"""Test helper: a charter rendered as Markdown (orientation-first layout), for the round trip."""

from charter.models import ActionPage, CharterPage, OrientationPage
from engagements.models import Commitment


def _bullet(text: str) -> list[str]:
    """A commitment as a bullet; its own sub-list becomes nested bullets."""
    head, _sep, rest = text.partition("\n\n")
    lines = [f"- {' '.join(head.split())}"]
    for item in rest.splitlines():
        item = item.strip()
        if item.startswith("- "):
            lines.append(f"  - {item[2:].strip()}")
        elif item:
            lines.append(f"  - {item}")
    return lines


def charter_markdown(*, charter: CharterPage) -> str:
    """The charter's orientations, actions, commitments by partner and lexicon, as Markdown."""
    lines = [f"# {charter.title}", ""]
    orientations = OrientationPage.objects.child_of(charter).order_by("number")
    actions = ActionPage.objects.descendant_of(charter).order_by("number")
    by_orientation: dict[str, list[ActionPage]] = {}
    for action in actions:
        by_orientation.setdefault(action.path[: -ActionPage.steplen], []).append(action)
    commitments: dict[int, list[Commitment]] = {}
    for commitment in (
        Commitment.objects.filter(action__in=actions)
        .select_related("partner")
        .order_by("partner__name", "position")
    ):
        commitments.setdefault(commitment.action_id, []).append(commitment)
    signatory_order = {s.partner_id: s.sort_order for s in charter.signatories.all()}
    for orientation in orientations:
        lines += [f"## Orientation {orientation.number} : {orientation.title}", ""]
        for action in by_orientation.get(orientation.path, []):
            lines += [f"### Action {action.code} : {action.title}", ""]
            grouped: dict = {}
            for commitment in commitments.get(action.pk, []):
                grouped.setdefault(commitment.partner, []).append(commitment)
            for partner in sorted(
                grouped, key=lambda p: (signatory_order.get(p.pk, 10_000), p.name)
            ):
                label = partner.name
                if partner.short_name and partner.short_name != partner.name:
                    label = f"{partner.name} ({partner.short_name})"
                lines += [f"#### Partenaire : {label}", ""]
                for commitment in grouped[partner]:
                    lines += _bullet(commitment.text)
                lines.append("")
    entries = list(charter.lexicon_entries.all())
    if entries:
        lines += ["## Lexique et sigles", "", "| Sigle | Définition |", "| --- | --- |"]
        lines += [
            f"| {entry.term} | {' '.join(entry.definition.split()).replace('|', '/')} |"
            for entry in entries
        ]
        lines.append("")
    return "\n".join(lines)
