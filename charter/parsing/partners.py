"""The partners a document's headings name: « Engagement de la CAF », « Les signataires
s'engagent à », « La CAF et l'ADIL s'engagent » (mixed into `Reader`)."""

from __future__ import annotations

import re

from charter.parsing.headings import (
    ANNEX_RE,
    GENERIC_HEADINGS,
    clean_partner_heading,
    explicit_partner,
    heading_match,
    partner_key,
)
from charter.parsing.lines import ACTION_RE, ORIENTATION_RE, Line
from charter.parsing.structure import (
    ORGANISATION_WITH_ACRONYM_RE,
    SHARED_HEADING_RE,
    STRUCTURE_RE,
    all_signatories,
    joint_names,
)


class PartnerHeadings:
    """The reader's part that recognises partner headings and the owners of what follows."""

    def is_partner_heading(self, index: int, line: Line) -> bool:
        if line.bullet or len(line.text.split()) > 20 or GENERIC_HEADINGS.match(line.text):
            return False
        if STRUCTURE_RE.match(line.text) or SHARED_HEADING_RE.match(line.text):
            return False
        if explicit_partner(line.text):
            return True
        following = self.next_line(index)
        if following is None:
            return False
        if self.partner_first:
            # A sentence ("Entrée en vigueur : 14 décembre 2017.") is not an organisation's name.
            return (
                bool(
                    heading_match(following, ORIENTATION_RE) or heading_match(following, ACTION_RE)
                )
                and not ANNEX_RE.match(line.text)
                and not line.text.endswith((".", ";", "?", "!"))
            )
        if self.action is None and self.orientation is None:
            return False
        if line.heading:
            return True
        if line.text.endswith(":") and len(line.text.split()) <= 12:
            return not following.heading
        return following.bullet and not line.text.endswith((".", ";", "?", "!", ":"))

    def add_partner(self, raw: str) -> int:
        """The index of the partner a heading names: « La CAF » after « Caisse d'allocations
        familiales (CAF) » (or before it) is the same partner."""
        raw = clean_partner_heading(raw)
        raw = raw[:1].upper() + raw[1:]
        key = partner_key(raw)
        acronym = ORGANISATION_WITH_ACRONYM_RE.match(raw)
        short_key = partner_key(acronym.group("short")) if acronym else None
        index = self.partner_index.get(key)
        if index is None and short_key is not None:
            index = self.partner_index.get(short_key)
        if index is None:
            index = len(self.partner_raw)
            self.partner_raw.append(raw)
        self.partner_index.setdefault(key, index)
        if short_key is not None:
            self.partner_index.setdefault(short_key, index)
            if not ORGANISATION_WITH_ACRONYM_RE.match(self.partner_raw[index]):
                self.partner_raw[index] = raw  # the heading that also gives the short name
        return index

    def set_partner(self, raw: str) -> None:
        names = joint_names(clean_partner_heading(raw))
        if all_signatories(clean_partner_heading(raw)):
            self.set_owners("all")
            return
        if len(names) > 1 and re.search(r"s'engagent", raw):
            self.set_owners(tuple(self.add_partner(name) for name in names))
            return
        self.partner = self.add_partner(raw)
        self.owners = None
        self.mode = "text"
        self.started = True

    def set_owners(self, owners: str | tuple[int, ...]) -> None:
        self.owners, self.partner, self.mode, self.started = owners, None, "text", True
