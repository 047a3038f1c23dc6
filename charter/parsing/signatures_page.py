"""The signatories page: « Pour la CAF », « Nom (Sigle) » rows of a signature table, co-pilots."""

from __future__ import annotations

import re

from charter.parsing.headings import (
    partner_key,
)
from charter.parsing.lines import Line
from charter.parsing.structure import (
    COPILOT_RE,
    ORGANISATION_WITH_ACRONYM_RE,
    SIGNATORY_FOR_RE,
    SIGNATURE_FURNITURE_RE,
)
from charter.parsing.types import (
    DocumentSignatory,
)


class SignaturesPage:
    """The reader's part that reads the signatories page (mixed into `Reader`)."""

    def read_signatures(self, line: Line) -> None:
        # A PDF's signature table: the box's « Signature et cachet » beside the organisation.
        text = re.sub(r"\bsignature et cachet\b", " ", line.text, flags=re.IGNORECASE)
        text = " ".join(text.split())
        if not text:
            return
        short = re.match(r"^\((?P<short>[^()]{2,40})\)$", text)
        if short and self.signatories:
            # « Pour Département de Testville » wrapped before its « (Département) ».
            index = self.signatories[-1].partner
            raw = self.partner_raw[index]
            if not ORGANISATION_WITH_ACRONYM_RE.match(raw):
                self.partner_raw[index] = f"{raw} ({short.group('short')})"
                self.partner_index.setdefault(partner_key(short.group("short")), index)
                self.signed_names.add(index)
                return
        self.read_signature_cell(line, text)

    def read_signature_cell(self, line: Line, text: str) -> None:
        if SIGNATURE_FURNITURE_RE.match(text):
            return
        if COPILOT_RE.match(text):
            if self.signatories:
                last = self.signatories[-1]
                self.signatories[-1] = DocumentSignatory(last.partner, True, last.line)
            return
        match = SIGNATORY_FOR_RE.match(text)
        known = {partner_key(raw) for raw in self.partner_raw}
        if match or ORGANISATION_WITH_ACRONYM_RE.match(text) or partner_key(text) in known:
            name = match.group("name") if match else text
            index = self.add_partner(name[:1].upper() + name[1:])
            if ORGANISATION_WITH_ACRONYM_RE.match(name):
                self.signed_names.add(index)
            if all(s.partner != index for s in self.signatories):
                self.signatories.append(DocumentSignatory(index, False, line.number))
            return
        self.unplace(line, "page des signatures : nom ou qualité d'un signataire")
