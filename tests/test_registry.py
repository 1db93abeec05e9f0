"""The authority registry the package carries agrees with the lookup table in ../shared."""

import csv

import pytest

from ofsted_kg.registry import by_urn, load_registry


@pytest.mark.corpus
def test_registry_matches_la_lookup(corpus):
    with (corpus / "la-lookup.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    registry = by_urn()
    assert len(load_registry()) == len(rows) == 156
    region_code_differs = set()
    for row in rows:
        authority = registry[row["urn"]]
        assert authority.la_code == row["la_code"]
        if row["la_code_new"]:
            assert authority.gss_code == row["la_code_new"]
        assert authority.region_name.lower() == row["region_name"].lower()
        if authority.region_gss != row["rgn22cd"]:
            region_code_differs.add(row["local_authority_ons_name"])
    # The lookup gives these two the code of a neighbouring region (E12000003 is
    # Yorkshire and The Humber, E12000004 East Midlands); the registry keeps ONS's code
    # for the region the lookup names.
    assert region_code_differs == {"Gloucestershire", "Buckinghamshire"}


def test_each_region_has_one_code_and_one_name():
    regions = {(a.region_gss, a.region_name) for a in load_registry()}
    assert len(regions) == len({code for code, _ in regions}) == 9
    assert ("E12000003", "Yorkshire and The Humber") in regions


def test_every_authority_has_an_english_gss_code():
    for authority in load_registry():
        assert authority.gss_code[:3] in {"E06", "E08", "E09", "E10"}, authority
