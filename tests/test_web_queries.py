"""The pages' SPARQL files and the coverage query parse, describe themselves, and stay out
of the stored-query list."""

import shutil

import pyoxigraph as ox

from ofsted_kg.query import parse_query_file, stored_queries
from ofsted_kg.resources import data_dir
from ofsted_kg.web.data import QUERY_FOLDER, page_query_names


def test_every_page_query_parses_and_has_a_summary():
    names = page_query_names()
    assert {"authority-grades", "inspection-findings", "inspection-problems", "service-findings",
            "describe"} <= set(names)
    store = ox.Store()
    coverage = data_dir("queries") / "internal" / "coverage.rq"
    for path in [*(QUERY_FOLDER / f"{name}.rq" for name in names), coverage]:
        query = parse_query_file(path)
        store.query(query.text)  # raises SyntaxError if it does not parse
        assert query.summary, path.name
        assert all(parameter.variable in query.text for parameter in query.parameters)


def test_page_queries_are_not_stored_queries():
    assert not set(page_query_names()) & set(stored_queries())
    assert all(query.path.parent == data_dir("queries") for query in stored_queries().values())
    assert "coverage" not in stored_queries()


def test_the_pages_follow_the_store_after_a_build(sample_store, tmp_path):
    """The pages read the store as it is now: a build that adds a report is seen at once,
    and the store is opened again only when a write has given it a new generation."""
    from ofsted_kg.build import build
    from ofsted_kg.web.app import Pages
    from ofsted_kg.web.data import select

    from .sample_reports import EXTRA_SAMPLES, write_sample

    (HALTON_2024,) = [sample for sample in EXTRA_SAMPLES if sample.key == "halton-2024"]

    store = tmp_path / "graph"
    shutil.copytree(sample_store, store)
    halton = "https://w3id.org/ofsted-kg/id/authority/80471"
    pages = Pages(store)
    opened = pages.store
    assert pages.store is opened  # not opened again while nothing is written
    assert select(pages.store, "authority-reports", authority=halton) == []
    write_sample(HALTON_2024, tmp_path / "in")
    build([tmp_path / "in"], store, workers=1)
    assert pages.store is not opened
    assert len(select(pages.store, "authority-reports", authority=halton)) == 1
