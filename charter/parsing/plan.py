"""Parser for one orientation of a departmental plan (PDALHPD)."""

from __future__ import annotations

import re

from charter.parsing.cleanup import (
    join_continuation_lines,
    join_hyphenated_words,
    join_wrapped_lines,
    repair_characters,
)
from charter.parsing.types import ParsedPlanAction, ParsedPlanOrientation

ORIENTATION_RE = re.compile(r"^#*\s*Orientation\s+(\d+)\s*(?:[-–:.]\s*(.*))?$", re.IGNORECASE)
STAKES_RE = re.compile(r"^#*\s*ENJEUX\s*:?$", re.IGNORECASE)
ACTIONS_RE = re.compile(r"^#*\s*ACTIONS\s*:?$", re.IGNORECASE)
PLAN_ACTION_RE = re.compile(r"^(\d+)\s*[-–.]\s*(\d+)\s*[-–:.]?\s+(\S.*)$")
HEADING_RE = re.compile(r"^(#+)\s+(.*)$")
ITEM_RE = re.compile(r"^\s*[-*•▶►]\s+(.*)$")
INTRODUCTION_HEADING_LEVEL = 3


def _strip_heading(line: str) -> str:
    """Remove Markdown heading hashes from a line."""
    return re.sub(r"^#+\s*", "", line).strip()


def _find(pattern: re.Pattern[str], lines: list[str], start: int = 0) -> int:
    """Return the index of the first line matching ``pattern`` from ``start``, or -1."""
    for index in range(start, len(lines)):
        if pattern.match(lines[index].strip()):
            return index
    return -1


def _shift_headings(lines: list[str]) -> list[str]:
    """Renumber Markdown headings so the shallowest one becomes ``###``."""
    levels = [len(m.group(1)) for line in lines if (m := HEADING_RE.match(line))]
    if not levels:
        return lines
    offset = INTRODUCTION_HEADING_LEVEL - min(levels)
    shifted = []
    for line in lines:
        match = HEADING_RE.match(line)
        if match:
            line = "#" * min(6, len(match.group(1)) + offset) + " " + match.group(2).strip()
        shifted.append(line)
    return shifted


def _markdown(lines: list[str]) -> str:
    """Join wrapped lines and separate blocks with single blank lines."""
    text = "\n".join(_shift_headings(lines))
    text = join_wrapped_lines(join_continuation_lines(join_hyphenated_words(text)))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _title(lines: list[str], orientation_index: int) -> tuple[str, int]:
    """Return the orientation title and the index of the line after it."""
    inline = ORIENTATION_RE.match(lines[orientation_index].strip())
    if inline and inline.group(2):
        return inline.group(2).strip(), orientation_index + 1
    for index in range(orientation_index + 1, len(lines)):
        if lines[index].strip():
            return _strip_heading(lines[index]), index + 1
    return "", len(lines)


def _items(lines: list[str]) -> tuple[str, ...]:
    """Return the bullet texts of a block, without their markers."""
    text = join_wrapped_lines(join_continuation_lines("\n".join(lines)))
    return tuple(
        match.group(1).strip()
        for line in text.split("\n")
        if (match := ITEM_RE.match(line)) and match.group(1).strip()
    )


def _actions(lines: list[str]) -> tuple[ParsedPlanAction, ...]:
    """Return the ``x-y Title`` actions of a block; other lines continue the last title."""
    drafts: list[list[str]] = []
    previous = ""
    for line in join_continuation_lines("\n".join(lines)).split("\n"):
        match = PLAN_ACTION_RE.match(line.strip())
        if match:
            drafts.append([f"{match.group(1)}-{match.group(2)}", match.group(3).strip()])
        elif line.strip() and previous.strip() and drafts:
            drafts[-1][1] += " " + line.strip()
        previous = line
    return tuple(ParsedPlanAction(code, title.rstrip(". ")) for code, title in drafts)


def parse_plan_orientation(text: str) -> ParsedPlanOrientation:
    """Parse a plan orientation: title, Markdown introduction, stakes and actions."""
    lines = repair_characters(text).split("\n")
    orientation_index = _find(ORIENTATION_RE, lines)
    if orientation_index < 0:
        raise ValueError("No 'Orientation n' heading found: not a plan orientation.")
    number = int(ORIENTATION_RE.match(lines[orientation_index].strip()).group(1))
    title, body_start = _title(lines, orientation_index)
    stakes_index = _find(STAKES_RE, lines, body_start)
    actions_index = _find(ACTIONS_RE, lines, max(stakes_index, body_start))
    actions_start = actions_index if actions_index >= 0 else len(lines)
    introduction_end = stakes_index if stakes_index >= 0 else actions_start
    stakes_lines = lines[stakes_index + 1 : actions_start] if stakes_index >= 0 else []
    actions_lines = lines[actions_index + 1 :] if actions_index >= 0 else []
    return ParsedPlanOrientation(
        number=number,
        title=title,
        introduction=_markdown(lines[body_start:introduction_end]),
        stakes=_items(stakes_lines),
        actions=_actions(actions_lines),
    )
