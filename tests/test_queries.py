"""Every stored query, on a graph of nine reports whose every fact was read by hand.

The nine are the sample reports (tests/sample_reports.py), which carry the facts of all the
reports of Greenwich, Stockton-on-Tees and South Gloucestershire in the corpus
(tests/expected/ holds what people read in them); each expected row below follows from
those facts and from the authority registry (la-lookup.csv). Recommendations' words are the
sample's own; one test reads the real reports' words.
"""

import re
from datetime import date

import pytest

from ofsted_kg import open_graph
from ofsted_kg.query import stored_queries

from .sample_reports import SUPERVISION

RI = "requires-improvement"


@pytest.fixture(scope="session")
def graph(sample_store):
    with open_graph(sample_store) as graph:
        yield graph


def table(rows, *columns):
    return [tuple(row[c] for c in columns) for row in rows]


def test_there_are_at_least_15_stored_queries_each_with_a_summary_and_description():
    queries = stored_queries()
    assert len(queries) >= 15
    for query in queries.values():
        assert query.summary and query.description, query.name


def test_no_stored_query_bounds_a_date_from_above_with_less_or_equal():
    # Virtuoso 7.2 answers "?d <= date" (or "date >= ?d") with no rows when it turns the
    # filter into an index range with that bound alone, which its planner chooses or not
    # depending on the data; "!(?d > date)" means the same and is tested after the join.
    upper = re.compile(r"\?\w+\s*<=\s*\?_+\w+_date\b|\?_+\w+_date\s*>=\s*\?\w+")
    for query in stored_queries().values():
        assert not upper.search(query.text), query.name


def test_inspection_judgements_for_greenwich(graph):
    rows = graph.query("inspection-judgements", authority="Greenwich")
    assert len(rows) == 7 + 4 + 5
    assert {r["source"] for r in rows} == {
        "children's services inspection - 05 august 2016.pdf",
        "children's services inspection - 27 january 2020.pdf",
        "children's services inspection - 16 july 2024.pdf",
    }
    assert ("ilacs", date(2024, 6, 3), "Tom Anthony", "help-and-protection", "good") in table(
        rows, "framework", "start_date", "lead_inspector", "area", "grade")


def test_stats(graph):
    assert {r["label"]: r["count"] for r in graph.query("stats")} == {
        "authorities inspected": 3, "reports": 9, "inspections: ilacs inspection": 6,
        "inspections: sif inspection": 3,
        # Greenwich 7 + 4 + 5, Stockton 7 + 4 + 5, South Gloucestershire 7 + 4 + 5
        "judgements": 48,
        "recommendations": 77,
    }


NATIONAL = ("authority", "framework", "end_date", "overall_effectiveness", "impact_of_leaders",
            "help_and_protection", "children_in_care", "care_leavers")


def test_national_table_today(graph):
    assert table(graph.query("national-table"), *NATIONAL) == [
        ("Greenwich", "ilacs", date(2024, 6, 7), "outstanding", "outstanding", "good", "outstanding",
         "outstanding"),
        ("South Gloucestershire", "ilacs", date(2024, 6, 14), "good", "good", "good", "good", "good"),
        ("Stockton-on-Tees", "ilacs", date(2023, 3, 17), RI, RI, RI, RI, RI),
    ]


def test_national_table_as_at_puts_earlier_frameworks_in_the_current_columns(graph):
    # SIF: leadership -> leaders, looked after -> children in care; 2019 ILACS: the combined
    # children in care and care leavers grade under both columns.
    assert table(graph.query("national-table", as_at=date(2019, 6, 1)), *NATIONAL) == [
        ("Greenwich", "sif", date(2016, 6, 16), "good", "good", "good", "good", "good"),
        ("South Gloucestershire", "ilacs", date(2019, 3, 15), RI, RI, RI, RI, RI),
        ("Stockton-on-Tees", "sif", date(2016, 6, 16), "good", "good", "good", RI, "outstanding"),
    ]


@pytest.mark.parametrize("name", ["Greenwich", "Royal Borough of Greenwich", "80495", "203", "E09000011",
                                  "greenwich"])
def test_authority_history_accepts_every_way_of_naming_greenwich(graph, name):
    rows = graph.query("authority-history", authority=name)
    assert table(rows, "framework", "start_date", "end_date", "publication_date", "overall_effectiveness") == [
        ("sif", date(2016, 5, 23), date(2016, 6, 16), date(2016, 8, 5), "good"),
        ("ilacs", date(2019, 12, 9), date(2019, 12, 13), date(2020, 1, 24), "good"),
        ("ilacs", date(2024, 6, 3), date(2024, 6, 7), date(2024, 7, 15), "outstanding"),
    ]
    assert set(rows[2]["judgements"].split(", ")) == {
        "overall-effectiveness=outstanding", "impact-of-leaders=outstanding", "help-and-protection=good",
        "children-in-care=outstanding", "care-leavers=outstanding"}


def test_grade_changes(graph):
    columns = ("authority", "previous_end_date", "previous_grade", "end_date", "grade", "change")
    assert table(graph.query("grade-changes"), *columns) == [
        ("Greenwich", date(2019, 12, 13), "good", date(2024, 6, 7), "outstanding", "improved"),
        ("South Gloucestershire", date(2016, 12, 15), "inadequate", date(2019, 3, 15), RI, "improved"),
        ("South Gloucestershire", date(2019, 3, 15), RI, date(2024, 6, 14), "good", "improved"),
        ("Stockton-on-Tees", date(2016, 6, 16), "good", date(2019, 5, 24), RI, "declined"),
    ]
    assert table(graph.query("grade-changes", change="declined"), "authority") == [("Stockton-on-Tees",)]


def test_grade_distribution(graph):
    assert table(graph.query("grade-distribution"), "year", "framework", "grade", "inspections", "percent") == [
        (2016, "sif", "good", 2, 100.0),
        (2017, "sif", "inadequate", 1, 100.0),
        (2019, "ilacs", RI, 2, 100.0),
        (2020, "ilacs", "good", 1, 100.0),
        (2023, "ilacs", RI, 1, 100.0),
        (2024, "ilacs", "outstanding", 1, 50.0),
        (2024, "ilacs", "good", 1, 50.0),
    ]


def test_position_as_at_uses_only_what_was_published_by_then(graph):
    rows = graph.query("position-as-at", as_at="2016-08-05")
    assert {r["authority"] for r in rows} == {"Greenwich", "Stockton-on-Tees"}
    assert sorted(table([r for r in rows if r["authority"] == "Stockton-on-Tees"], "area", "grade")) == [
        ("adoption-performance", RI), ("care-leavers", "outstanding"), ("help-and-protection", "good"),
        ("leadership-management-governance", "good"), ("looked-after-and-permanence", RI), ("lscb", RI),
        ("overall-effectiveness", "good"),
    ]
    assert graph.query("position-as-at", as_at="2016-08-04") == []


def test_grade_shares_as_at(graph):
    rows = graph.query("grade-shares-as-at", as_at="2017-03-01")
    overall = [(r["scope"], r["grade"], r["authorities"], r["percent"]) for r in rows
               if r["area"] == "overall-effectiveness"]
    assert overall == [
        ("England", "good", 2, 66.7), ("England", "inadequate", 1, 33.3),
        ("London", "good", 1, 100.0), ("North East", "good", 1, 100.0), ("South West", "inadequate", 1, 100.0),
    ]


def test_framework_trajectory(graph):
    columns = ("authority", "first_grade", "latest_grade", "trajectory")
    assert table(graph.query("framework-trajectory"), *columns) == [
        ("Greenwich", "good", "outstanding", "improved"),
        ("South Gloucestershire", RI, "good", "improved"),
        ("Stockton-on-Tees", RI, RI, "stayed below good"),
    ]
    assert graph.query("framework-trajectory", framework="sif") == []
    # As at the end of 2023 Greenwich had one ILACS inspection, so no trajectory yet.
    assert table(graph.query("framework-trajectory", as_at="2023-12-31"), "authority") == [("Stockton-on-Tees",)]


def test_inadequate_now(graph):
    assert graph.query("inadequate-now") == []
    rows = graph.query("inadequate-now", as_at="2017-03-01")
    assert table(rows, "authority", "framework", "end_date", "publication_date", "days_since_publication") == [
        ("South Gloucestershire", "sif", date(2016, 12, 15), date(2017, 2, 13), 16),
    ]


def test_statistical_neighbours_of_greenwich(graph):
    rows = graph.query("statistical-neighbours", authority="E09000011")
    assert rows[0]["role"] == "subject"
    assert (rows[0]["authority"], rows[0]["overall_effectiveness"], rows[0]["help_and_protection"]) == (
        "Greenwich", "outstanding", "good")
    # la-lookup.csv: 209, 208, 306, 210, 355, 320, 851, 852, 391, 870
    assert sorted(r["authority"] for r in rows[1:]) == [
        "Croydon", "Lambeth", "Lewisham", "Newcastle upon Tyne", "Portsmouth", "Reading", "Salford",
        "Southampton", "Southwark", "Waltham Forest"]
    assert {r["role"] for r in rows[1:]} == {"neighbour"}
    assert {r["overall_effectiveness"] for r in rows[1:]} == {None}  # not in this graph


def test_areas_below_overall(graph):
    assert table(graph.query("areas-below-overall"), "authority", "start_date", "area", "grade") == [
        ("Greenwich", date(2024, 6, 3), "help-and-protection", "good"),
        ("Stockton-on-Tees", date(2016, 5, 23), "adoption-performance", RI),
        ("Stockton-on-Tees", date(2016, 5, 23), "looked-after-and-permanence", RI),
    ]


def test_inspection_intervals(graph):
    rows = graph.query("inspection-intervals", authority="Stockton-on-Tees")
    assert table(rows, "previous_end_date", "end_date", "days") == [
        (date(2016, 6, 16), date(2019, 5, 24), 1072),
        (date(2019, 5, 24), date(2023, 3, 17), 1393),
    ]
    assert len(graph.query("inspection-intervals")) == 6


def test_inspections_by_inspector(graph):
    rows = graph.query("inspections-by-inspector", inspector="tom anthony")
    assert table(rows, "lead_inspector", "authority", "start_date", "overall_effectiveness") == [
        ("Tom Anthony", "Greenwich", date(2024, 6, 3), "outstanding")]


def test_recommendations_by_theme(graph):
    rows = graph.query("recommendations-by-theme", theme="SUPERVISION", framework="ilacs")
    assert table(rows, "authority", "start_date", "order", "recommendation") == [
        ("South Gloucestershire", date(2019, 3, 4), 9, SUPERVISION["south-gloucestershire-2019"]),
        ("Stockton-on-Tees", date(2019, 5, 20), 6, SUPERVISION["stockton-2019"]),
        ("Greenwich", date(2019, 12, 9), 2, SUPERVISION["greenwich-2020"]),
        ("Greenwich", date(2024, 6, 3), 2, SUPERVISION["greenwich-2024"]),
    ]
    # Stockton 2016's third recommendation names supervision too, but it is SIF.
    assert len(graph.query("recommendations-by-theme", theme="SUPERVISION")) == 5


@pytest.mark.corpus
def test_recommendations_by_theme_in_the_real_reports(known_store):
    """The same query on the real reports' own words."""
    with open_graph(known_store) as graph:
        rows = graph.query("recommendations-by-theme", theme="SUPERVISION", framework="ilacs")
    assert table(rows, "authority", "start_date", "order", "recommendation") == [
        ("South Gloucestershire", date(2019, 3, 4), 9,
         "The effectiveness of supervision and management oversight in progressing work in a timely way."),
        ("Stockton-on-Tees", date(2019, 5, 20), 6, rows[1]["recommendation"]),
        ("Greenwich", date(2019, 12, 9), 2,
         "The frequency, recording and quality of supervision of frontline practice."),
        ("Greenwich", date(2024, 6, 3), 2,
         "Consistently impactful management oversight, direction and supervision of frontline practice."),
    ]
    assert rows[1]["recommendation"].startswith("Clarity in supervision records")


def test_recommendation_themes_by_year(graph):
    rows = graph.query("recommendation-themes-by-year", theme="supervision")
    # Counts per year of publication from tests/expected/inspections.csv.
    assert table(rows, "year", "recommendations") == [
        (2016, 22), (2017, 22), (2019, 19), (2020, 4), (2023, 4), (2024, 6)]
    assert table(rows, "year", "matching")[3] == (2020, 1)


def test_authorities_of_a_region(graph):
    rows = graph.query("authorities", region="north east")
    assert len(rows) == 12
    stockton = next(r for r in rows if r["authority"] == "Stockton-on-Tees")
    assert stockton == {
        "authority": "Stockton-on-Tees", "authority_urn": "80563", "la_code": "808", "gss_code": "E06000004",
        "region": "North East", "authority_type": "Unitary Authority", "inspections": 3,
        "latest_end_date": date(2023, 3, 17)}


def test_rows_become_a_dataframe(graph):
    frame = graph.query("authority-history", authority="Stockton-on-Tees").to_dataframe()
    assert list(frame["overall_effectiveness"]) == ["good", RI, RI]
    assert list(frame.columns)[:3] == ["authority", "framework", "kind"]
