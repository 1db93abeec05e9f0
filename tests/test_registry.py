"""The authority registry the package carries agrees with the lookup table in ../shared."""

import csv

import pytest

from ofsted_kg.registry import by_urn, load_registry

pytestmark = pytest.mark.corpus


def test_registry_matches_la_lookup(corpus):
    with (corpus / "la-lookup.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    registry = by_urn()
    assert len(load_registry()) == len(rows) == 156
    for row in rows:
        authority = registry[row["urn"]]
        assert authority.la_code == row["la_code"]
        if row["la_code_new"]:
            assert authority.gss_code == row["la_code_new"]
        assert authority.region_gss == row["rgn22cd"]


def test_every_authority_has_an_english_gss_code():
    for authority in load_registry():
        assert authority.gss_code[:3] in {"E06", "E08", "E09", "E10"}, authority
