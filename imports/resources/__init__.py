"""django-import-export resources: partners, commitments, lexicon entries, indicator values.

Each row is checked by Django's own validation (`Model.full_clean`); the commitments resource
answers its one natural-key check from the commitments it prefetched (see commitments.py).
"""

from .base import IMPORT_LOG_ACTION, ColumnError, ImportResource, Lookups
from .commitments import CommitmentResource
from .indicators import IndicatorValueResource
from .lexicon import LexiconResource
from .partners import PartnerResource

RESOURCES = {
    "partners": PartnerResource,
    "commitments": CommitmentResource,
    "lexicon": LexiconResource,
    "indicator_values": IndicatorValueResource,
}

__all__ = [
    "IMPORT_LOG_ACTION",
    "RESOURCES",
    "ColumnError",
    "CommitmentResource",
    "ImportResource",
    "IndicatorValueResource",
    "LexiconResource",
    "Lookups",
    "PartnerResource",
]
