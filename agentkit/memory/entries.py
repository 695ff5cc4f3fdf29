"""What an index holds for one canonical record, and the fingerprint that tells it is current.

Both indexes (vectors and full text) and both record backends share this one definition, so
"the index agrees with the records" means the same thing everywhere.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

__all__ = ["IndexEntry", "Metadata"]

Metadata = dict[str, str | int | float | bool]


@dataclass(frozen=True)
class IndexEntry:
    """What the index should hold for one canonical record: its text and filter fields."""

    id: str
    document: str
    metadata: Metadata = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        """Changes whenever the embedded text or a filter field changes."""
        payload = json.dumps([self.document, self.metadata], sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:20]
