"""What a national or 'as at' answer covers: the authorities it counts out of those
expected, and the latest publication date the graph holds.

The graph holds the reports someone built it from, not necessarily every report Ofsted
published, so a share of authorities means little without the count behind it. The
numbers come from ``queries/internal/coverage.rq`` (kept out of the stored-query list).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ofsted_kg.query import StoredQuery, bind_values, bindings_for, parse_query_file
from ofsted_kg.resources import data_dir


@dataclass(frozen=True)
class Coverage:
    as_at: str
    expected: int  # current authorities: those the registry lists statistical neighbours for
    graded: int  # with a graded ILACS or SIF inspection published by as_at
    with_reports: int  # with any report published by as_at
    latest_publication: str | None

    def sentence(self) -> str:
        return (f"covers {self.graded} of {self.expected} authorities (a graded ILACS or SIF inspection "
                f"published by {self.as_at}); {self.with_reports} have a report in the graph; "
                f"latest publication read: {self.latest_publication or 'none'}")

    def headers(self) -> dict[str, str]:
        return {"X-Coverage-Authorities": str(self.graded), "X-Coverage-Expected": str(self.expected),
                "X-Coverage-With-Reports": str(self.with_reports), "X-Coverage-As-At": self.as_at,
                "X-Latest-Publication": self.latest_publication or ""}


def is_national(query: StoredQuery) -> bool:
    """National and 'as at' answers say what they cover."""
    return bool({"national", "as-at"} & set(query.tags)) or any(p.name == "as_at" for p in query.parameters)


def coverage(store: Any, as_at: str | None = None) -> Coverage:
    day = date.today().isoformat() if not as_at or as_at.strip().lower() == "today" else as_at
    query = parse_query_file(data_dir("queries") / "internal" / "coverage.rq")
    row = next(iter(store.query(bind_values(query.text, bindings_for(query, {"as_at": day})))))

    def number(name: str) -> int:
        return int(row[name].value) if row[name] is not None else 0

    latest = row["latest_publication"]
    return Coverage(day, number("expected"), number("graded"), number("with_reports"),
                    latest.value if latest is not None else None)
