"""The authority registry: every English children's services authority, as facts.

Read from ``ontology/authorities.csv`` (Ofsted URN, DfE LA code, ONS GSS code,
names, region, statistical neighbours). Extraction resolves the authority printed in a
report to one entry here; mapping turns the entries into RDF.
"""

from __future__ import annotations

import csv
from functools import cache

from ofsted_kg.facts import Authority
from ofsted_kg.resources import authority_registry_file


@cache
def load_registry() -> tuple[Authority, ...]:
    with authority_registry_file().open(newline="", encoding="utf-8") as handle:
        return tuple(
            Authority(
                ofsted_urn=row["ofsted_urn"],
                la_code=row["la_code"],
                gss_code=row["gss_code"],
                name=row["name"],
                alternative_names=tuple(n for n in row["alternative_names"].split("|") if n),
                region_gss=row["region_gss"],
                region_name=row["region_name"],
                authority_type=row["authority_type"],
                statistical_neighbours=tuple(row["statistical_neighbours"].split()),
            )
            for row in csv.DictReader(handle)
        )


def by_la_code() -> dict[str, Authority]:
    return {a.la_code: a for a in load_registry()}


def by_urn() -> dict[str, Authority]:
    return {a.ofsted_urn: a for a in load_registry()}
