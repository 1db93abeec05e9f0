"""The authority registry: every English children's services authority, as facts.

Read from ``ontology/authorities.csv`` (Ofsted URN, DfE LA code, ONS GSS code,
names, region, statistical neighbours). Extraction resolves the authority printed in a
report to one entry here; mapping turns the entries into RDF; ``find`` names an
authority as users do: 'Greenwich', 'Royal Borough of Greenwich', URN 80495, LA code 203
or GSS code E09000011 all give the same authority.
"""

from __future__ import annotations

import csv
import re
from functools import cache

from ofsted_kg.errors import QueryError
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


#: Words that name no authority on their own: names are compared without them.
GENERIC_WORDS = {
    "council", "county", "borough", "city", "of", "metropolitan", "district", "london",
    "royal", "the", "unitary", "authority",
}
_PUNCTUATION = re.compile(r"[^\w\s]")


def normalise_name(text: str) -> str:
    text = text.lower().replace("&", " and ").replace("\u2019", "'").replace("'s", "s")
    return " ".join(_PUNCTUATION.sub(" ", text).split())


def core_name(name: str) -> str:
    words = normalise_name(name).split()
    core = [w for w in words if w not in GENERIC_WORDS]
    return " ".join(core) if core else " ".join(w for w in words if w != "council")


def find(text: str) -> Authority:
    """The authority a user names, by name, Ofsted URN, LA code, GSS code or IRI."""
    value = text.strip()
    for authority in load_registry():
        if value in (authority.ofsted_urn, authority.la_code) or value.upper() == authority.gss_code:
            return authority
        if value.startswith("http") and value.rstrip("/").endswith(f"/authority/{authority.ofsted_urn}"):
            return authority
    wanted = core_name(value)
    for authority in load_registry():
        names = (authority.name, *authority.alternative_names)
        if any(core_name(n) == wanted or normalise_name(n) == normalise_name(value) for n in names):
            return authority
    raise QueryError(
        f"no authority called {text!r}; give a name (Greenwich), an Ofsted URN (80495), "
        "a DfE LA code (203) or an ONS GSS code (E09000011)"
    )
