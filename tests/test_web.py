"""The pages, the instance IRIs and the API's formats, on the real server, in a real browser.

The store holds Greenwich's three reports and those of Stockton-on-Tees and South
Gloucestershire (the ``sample_store`` fixture). Grades below were read from the reports.
"""

import csv
import io
import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest
import rdflib

from . import browser
from .servers import free_port

INSPECTION_2020 = "https://w3id.org/ofsted-kg/id/inspection/80495/ilacs/2019-12-09"
PAGES = ["/", "/national", "/national?region=London&grade=outstanding", "/id/authority/80495",
         "/id/inspection/80495/ilacs/2019-12-09", "/id/inspection/80495/sif/2016-05-23",
         "/id/inspection/80495/ilacs/2019-12-09/finding/27", "/id/report/80495/ilacs/2019-12-09",
         "/services", "/services/mash", "/queries", "/queries/grade-changes",
         "/queries/service-findings-over-time?authority=Greenwich&service=iro",
         "/queries/authorities-criticising-service?service=MASH", "/authority?name=Barnett"]


@pytest.fixture(scope="module")
def site(sample_store, tmp_path_factory):
    with browser.served(sample_store, free_port(), tmp_path_factory.mktemp("web") / "serve.log") as url:
        yield url


@pytest.fixture(scope="module")
def context():
    reason = browser.missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"{reason}, and CI must run the browser tests")
        pytest.skip(reason)
    with browser.chromium() as launched:
        yield launched


@pytest.fixture
def page(context):
    page = context.new_page()
    yield page
    page.close()


def fetch(url, accept="*/*"):
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def cli(*args):
    return subprocess.run([sys.executable, "-m", "ofsted_kg", *args], capture_output=True, text=True)


def test_home_to_greenwich_chart_to_inspection(site, page):
    page.goto(site + "/")
    assert page.locator("#coverage").inner_text().startswith("3 of the 153 local authorities have reports")
    page.get_by_role("link", name="Greenwich", exact=True).click()
    assert page.url == site + "/id/authority/80495"
    points = page.locator("svg.grade-chart a.point[data-area='overall-effectiveness']")
    assert [(points.nth(i).get_attribute("data-year"), points.nth(i).get_attribute("data-framework"),
             points.nth(i).get_attribute("data-grade")) for i in range(points.count())] == [
        ("2016", "sif", "good"), ("2020", "ilacs", "good"), ("2024", "ilacs", "outstanding")]
    points.nth(1).locator("circle").click()
    page.wait_for_url(site + "/id/inspection/80495/ilacs/2019-12-09")
    rows = page.locator("#judgements-table tbody tr")
    assert sorted((rows.nth(i).get_attribute("data-area"), rows.nth(i).get_attribute("data-grade"))
                  for i in range(rows.count())) == [
        ("children-in-care-and-care-leavers", "good"), ("help-and-protection", "good"),
        ("impact-of-leaders", "good"), ("overall-effectiveness", "good")]


def test_a_query_form_with_a_chosen_service_downloads_the_csv_the_command_line_gives(site, page, sample_store,
                                                                                     tmp_path):
    page.goto(site + "/queries/service-findings-over-time")
    page.get_by_label("authority").fill("Greenwich")
    page.get_by_label("service").select_option("iro")
    page.get_by_role("button", name="Run").click()
    page.wait_for_selector("#results")
    with page.expect_download() as download:
        page.locator("a.download[data-format='csv']").click()
    saved = tmp_path / "answer.csv"
    download.value.save_as(saved)
    expected = cli("query", "service-findings-over-time", "-p", "authority=Greenwich", "-p", "service=iro",
                   "--store", str(sample_store), "--format", "csv")
    assert expected.returncode == 0
    rows = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8"))))
    assert rows == list(csv.reader(io.StringIO(expected.stdout)))
    assert len(rows) - 1 == page.locator("#results tbody tr").count() > 0


def test_a_form_value_outside_the_list_shows_the_error_with_suggestions(site, page):
    page.goto(site + "/queries/authorities-criticising-service?service=MASH")
    error = page.locator("#query-error")
    assert "parameter service='MASH' is not one of the services; did you mean mash?" in error.inner_text()
    assert page.locator("a.suggestion").all_inner_texts() == ["mash"]
    page.goto(site + "/queries/statistical-neighbours")
    page.get_by_label("authority").fill("Barnett")
    page.get_by_role("button", name="Run").click()
    assert page.locator("a.suggestion").first.inner_text() == "Barnet"
    page.locator("a.suggestion").first.click()
    assert page.locator("#results tbody tr").first.inner_text().startswith("Barnet")


def test_the_national_table_filters_and_sorts(site, page):
    page.goto(site + "/national?as_at=2020-03-31")
    assert page.locator("#coverage").first.inner_text() == (
        "This answer covers 3 of 153 authorities (a graded ILACS or SIF inspection published by 2020-03-31); "
        "3 have a report in the graph; latest publication read: 2020-01-24.")
    page.get_by_label("Region").select_option("London")
    page.get_by_role("button", name="Show").click()
    assert page.locator("#national tbody tr td:first-child").all_inner_texts() == ["Greenwich"]
    page.goto(site + "/national?as_at=2020-03-31&sort=authority&order=desc")
    assert page.locator("#national tbody tr td:first-child").all_inner_texts() == [
        "Stockton-on-Tees", "South Gloucestershire", "Greenwich"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_no_serious_accessibility_violation(site, page, path):
    if not browser.AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"axe-core is missing at {browser.AXE}; .ci/run installs it")
        pytest.skip(f"axe-core is not installed at {browser.AXE} (npm install --prefix tests/.node axe-core@4)")
    page.goto(site + path)
    assert browser.axe_violations(page) == []


def test_an_inspection_iri_gives_its_triples_to_a_machine_and_its_page_to_a_browser(site, sample_store):
    store = ox.Store.read_only(str(sample_store))
    expected = {(str(q.subject), str(q.predicate), str(q.object)) for q in store.quads_for_pattern(
        ox.NamedNode(INSPECTION_2020), None, None)}
    store = None
    path = site + urllib.parse.urlparse(INSPECTION_2020).path.removeprefix("/ofsted-kg")
    for accept, fmt in (("text/turtle", "turtle"), ("application/n-triples", "nt"),
                        ("application/ld+json", "json-ld")):
        status, headers, body = fetch(path, accept)
        assert (status, headers["content-type"].split(";")[0]) == (200, accept)
        graph = rdflib.Graph().parse(data=body, format=fmt)
        assert {(t.n3(), p.n3(), o.n3()) for t, p, o in graph} == expected
    status, headers, body = fetch(path, "text/html,application/xhtml+xml,*/*;q=0.8")
    assert status == 200 and b"<h1>Greenwich: ILACS inspection, 2019-12-09</h1>" in body
    assert fetch(site + "/id/inspection/80495/ilacs/1999-01-01", "text/turtle")[0] == 404


def test_curl_with_accept_turtle_on_the_iri_path(site):
    result = subprocess.run(["curl", "-s", "-H", "Accept: text/turtle",
                             f"{site}/id/inspection/80495/ilacs/2019-12-09"], capture_output=True, text=True)
    graph = rdflib.Graph().parse(data=result.stdout, format="turtle")
    assert graph.value(rdflib.URIRef(INSPECTION_2020), rdflib.URIRef("https://w3id.org/ofsted-kg/def#endDate")) \
        == rdflib.Literal("2019-12-13", datatype=rdflib.XSD.date)


def test_format_parameter_and_csv_for_excel(site, sample_store):
    api = site + "/api/queries/grade-changes"
    expected = list(csv.reader(io.StringIO(cli("query", "grade-changes", "--store", str(sample_store),
                                                "--format", "csv").stdout)))
    status, headers, body = fetch(api + "?format=csv", accept="application/json")
    assert (status, headers["content-type"]) == (200, "text/csv; charset=utf-8")
    assert list(csv.reader(io.StringIO(body.decode()))) == expected
    status, headers, body = fetch(api + "?format=csv-excel")
    assert body.startswith(b"\xef\xbb\xbf") and list(csv.reader(io.StringIO(body[3:].decode()))) == expected
    assert headers["content-disposition"] == 'attachment; filename="grade-changes.csv"'
    assert fetch(api + "?format=tsv")[2].decode().splitlines()[0].startswith("?authority\t")
    assert fetch(api + "?format=json")[1]["content-type"] == "application/sparql-results+json"
    assert fetch(api + "?format=xls")[0] == 400


def test_national_answers_carry_their_coverage(site, sample_store):
    status, headers, _ = fetch(site + "/api/queries/national-table?as_at=2020-03-31&format=csv")
    assert (status, headers["x-coverage-authorities"], headers["x-coverage-expected"],
            headers["x-latest-publication"]) == (200, "3", "153", "2020-01-24")
    result = cli("query", "national-table", "-p", "as_at=2020-03-31", "--store", str(sample_store),
                 "--format", "csv")
    assert result.stderr.strip() == (
        "national-table covers 3 of 153 authorities (a graded ILACS or SIF inspection published by 2020-03-31); "
        "3 have a report in the graph; latest publication read: 2020-01-24")
    assert "covers" not in result.stdout


@pytest.mark.parametrize(("query", "values", "suggestion"), [
    ("service-findings-over-time", {"authority": "Greenwich", "service": "MASH"}, "did you mean mash?"),
    ("authority-history", {"authority": "Barnett"}, "did you mean Barnet or"),
    ("authority-history", {"authority": "Stockton"}, "did you mean Stockton-on-Tees or"),
    ("framework-trajectory", {"framework": "ILACS"}, "did you mean ilacs?"),
    ("grade-changes", {"change": "up"}, "did you mean improved?"),
])
def test_a_value_outside_the_list_is_an_error_with_the_nearest(site, sample_store, query, values, suggestion):
    options = [option for key, value in values.items() for option in ("-p", f"{key}={value}")]
    result = cli("query", query, *options, "--store", str(sample_store))
    assert result.returncode == 2
    assert suggestion in result.stderr and len(result.stderr.strip().splitlines()) == 1
    status, _, body = fetch(f"{site}/api/queries/{query}?{urllib.parse.urlencode(values)}")
    assert status == 400 and suggestion in body.decode()


def test_a_forgotten_authority_is_never_silent(site, sample_store):
    result = cli("query", "authority-history", "--store", str(sample_store))
    assert (result.returncode, result.stderr.strip()) == (
        0, "authority-history: no --param authority given; the query's default, Greenwich, was used")
    assert fetch(site + "/api/queries/statistical-neighbours")[0] == 200
