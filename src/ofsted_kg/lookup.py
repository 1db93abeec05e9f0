"""Name an authority as users do: 'Greenwich', 'Royal Borough of Greenwich', URN 80495,
LA code 203 or GSS code E09000011 all give the same authority."""

from __future__ import annotations

from ofsted_kg.errors import QueryError
from ofsted_kg.extract.authority import core_name, normalise_name
from ofsted_kg.facts import Authority
from ofsted_kg.mapping import iris
from ofsted_kg.registry import load_registry


def find(text: str) -> Authority:
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


def authority_iri(text: str) -> str:
    return str(iris.authority(find(text).ofsted_urn))
