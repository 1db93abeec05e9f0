"""Findings and services: the hand-labelled evaluation set, Greenwich's MASH and IROs,
links to earlier inspections, the services vocabulary and the stored queries on them."""

from datetime import date
from functools import cache
from itertools import groupby

import pytest
from findings_training import findings_only
from rdflib import Graph, Literal
from rdflib.namespace import SKOS

from ofsted_kg import open_graph
from ofsted_kg.extract import extract_report
from ofsted_kg.extract.findings import _chains
from ofsted_kg.extract.keys import as_keys
from ofsted_kg.read import read_pdf
from ofsted_kg.resources import data_dir

from .conftest import CORPUS, read_expected
from .sample_reports import IRO, PARAGRAPHS

EVAL = read_expected("findings-eval.csv")
SERVICE = "https://w3id.org/ofsted-kg/def/service/"
# Measured with the shipped model (bench/findings_eval.py --train), floors a little below.
IN_SAMPLE = {"precision": 0.92, "recall": 0.98, "polarity": 0.96}  # 0.997, 1.000, 0.973 on 1,129


@cache
def findings_of_all(file: str) -> list:
    return findings_only(CORPUS / file)


@cache
def findings_of(file: str) -> dict:
    report = extract_report(read_pdf(CORPUS / file))
    return {f.number: f for f in report.inspection.findings if f.number is not None}


def test_services_vocabulary_has_at_least_25_documented_concepts():
    graph = Graph().parse(data_dir("ontology") / "services.ttl", format="turtle")
    concepts = set(graph.subjects(SKOS.inScheme, None))
    assert len(concepts) >= 25
    for concept in concepts:
        assert graph.value(concept, SKOS.prefLabel) and graph.value(concept, SKOS.definition), concept
        assert len(list(graph.objects(concept, SKOS.notation))) == 1, concept
    assert {str(o) for o in graph.objects(None, SKOS.altLabel)} >= {"MASH", "IRO", "LADO"}
    assert (graph.value(predicate=SKOS.notation, object=Literal("mash")), SKOS.broader,
            graph.value(predicate=SKOS.notation, object=Literal("front-door"))) in graph


@pytest.mark.corpus
def test_the_evaluation_set_covers_150_paragraphs_of_15_reports():
    assert len(EVAL) >= 150
    files = {row["file"] for row in EVAL}
    assert len(files) >= 15
    frameworks = {extract_report(read_pdf(CORPUS / f)).inspection.framework for f in files}
    assert frameworks == {"ilacs", "sif"}


@pytest.mark.corpus
def test_service_tagging_and_polarity_in_sample():
    """In sample: the shipped model was trained on these paragraphs, so these figures only
    show that the model shipped is the one trained (out-of-sample figures: bench/findings_eval.py)."""
    labelled = EVAL + read_expected("findings-labelled.csv") + read_expected("findings-labelled-more.csv")
    true_positive = false_positive = false_negative = correct = 0
    for row in labelled:
        finding = next(f for f in findings_of_all(row["file"])
                       if f.number == int(row["paragraph"]) and f.page == int(row["page"]))
        gold = as_keys({s for s in row["services"].split(";") if s})
        found = as_keys({tag.service for tag in finding.services})
        true_positive += len(gold & found)
        false_positive += len(found - gold)
        false_negative += len(gold - found)
        correct += finding.polarity == row["polarity"]
    precision = true_positive / (true_positive + false_positive)
    recall = true_positive / (true_positive + false_negative)
    accuracy = correct / len(labelled)
    print(f"in sample: precision {precision:.3f} recall {recall:.3f} polarity {accuracy:.3f} on {len(labelled)}")
    assert len(labelled) >= 600
    assert precision >= IN_SAMPLE["precision"]
    assert recall >= IN_SAMPLE["recall"]
    assert accuracy >= IN_SAMPLE["polarity"]


@pytest.mark.corpus
def test_each_tag_and_polarity_says_why():
    file = "80495_greenwich/children's services inspection - 27 january 2020.pdf"
    mash = findings_of(file)[2]
    # The MASH and front door key, and the MASH itself, each with the words that named it.
    tags = [(t.service, t.label) for t in mash.services]
    assert tags[:2] == [("front-door", "multi-agency safeguarding hub"), ("mash", "multi-agency safeguarding hub")]
    # "...and managers record a clear rationale for decisions" evaluates managers' decisions:
    # management oversight by the labelling rules (as Cornwall 2019 no. 3, "Managers ensure a
    # prompt decision in response to referrals", is labelled). The model trained on 2,008
    # paragraphs tags it, with the model's strongest words as the evidence.
    assert [service for service, _ in tags[2:]] == ["supervision"]
    assert "managers" in tags[2][1].split("; ")
    assert mash.polarity == "strength"
    # The features that pushed the model to 'strength', strongest first: the rules' cues
    # (strength cues in the paragraph, in its last sentence and in its first, then the rules'
    # verdict: the models of the seventh and eighth rounds, trained on 6,097 and 8,486
    # paragraphs, weigh the first sentence's cues above the verdict again, as models before the
    # fifth round did).
    assert mash.cues[:4] == ("+cue:+", "+last:+", "+first:+", "+rule:polarity:strength")


def test_health_carers_and_early_help_assessments_are_not_social_work_assessments():
    # The labelling rules give these assessments keys of their own; a paragraph naming no
    # other assessment is not tagged `assessments`, whatever the model's words say.
    from ofsted_kg.extract.tagging import names_social_work_assessment, tag_findings

    health = ("Initial health assessments for children who enter care are often late, and some children "
              "wait months for their health needs to be understood.")
    assert not names_social_work_assessment(health)
    assert [tag.service for tag in tag_findings([health])[0][0]] == ["health-assessments"]
    for text in ("Early help assessments are thorough.", "Foster carer assessments are timely.",
                 "Assessments of prospective adopters are detailed.", "Special guardianship assessments vary.",
                 "Foster carer\u2019s assessments are thorough.", "Special guardians' assessments vary."):
        assert not names_social_work_assessment(text), text
    # Young carers' assessments are assessments of children: social work assessments.
    for text in ("Assessments of children's needs are thorough, and health assessments are timely.",
                 "Social workers assess risk well.", "Pre-birth assessments start early.",
                 "Young carers' assessments are good."):
        assert names_social_work_assessment(text), text


@pytest.mark.corpus
def test_a_service_judged_beside_its_label_is_told_from_one_only_named():
    # West Northamptonshire 2026, page 4, paragraph 15: "assessments are thorough" judges the
    # assessments; "living in private fostering arrangements in West Northamptonshire" only
    # names the arrangements, with no cue within four words.
    from ofsted_kg.extract.tagging import rule_features

    file = "2637548_west northamptonshire/children's services inspection - 07 july 2026.pdf"
    finding = next(f for f in findings_of_all(file) if (f.number, f.page) == (15, 4))
    assert finding.text.endswith(
        "assessments are thorough and children and their carers are supported effectively.")
    named = [name for name in rule_features(finding.text)
             if name.startswith("rule:") and not name.startswith("rule:polarity:")]
    assert named == ["rule:assessments", "rule:fostering", "rule:private-fostering", "rule:fostering:lead",
                     "rule:private-fostering:lead", "rule:assessments:judged"]


@pytest.mark.corpus
def test_recruiting_adopters_is_not_the_workforce():
    # Haringey 2026, paragraph 27: the adoption agency's "targeted recruitment" of adopters,
    # and "Recruitment is wide-ranging", name no social worker.
    file = "80498_haringey/children's services inspection - 24 february 2026.pdf"
    adopters = next(f for f in findings_of_all(file) if f.number == 27)
    assert adopters.page == 5
    services = {tag.service for tag in adopters.services}
    assert "adoption" in services
    assert "workforce" not in services


@pytest.mark.corpus
def test_a_reports_paragraphs_tagged_together_are_tagged_as_each_alone():
    from ofsted_kg.extract.tagging import tag_findings

    file = "80495_greenwich/children's services inspection - 27 january 2020.pdf"
    texts = [f.text for f in findings_of_all(file)]
    assert texts
    together = tag_findings(texts)  # one NumPy pass over the report, as a build tags them
    assert together == [tag_findings([text])[0] for text in texts]
    assert tag_findings([]) == []


@pytest.mark.corpus
def test_a_build_tags_as_the_evaluation_decides():
    # The second stage is applied by the package (tagging._decide, with a shortcut for keys
    # the rules do not name) and by the evaluation (findings_training.stacked_tags): one decision.
    from findings_training import Fitted, stacked_tags

    from ofsted_kg.extract.tagging import tag_findings
    from ofsted_kg.extract.textmodel import shipped_model

    model = shipped_model()
    assert model is not None and model.stack is not None
    file = "80495_greenwich/children's services inspection - 27 january 2020.pdf"
    texts = [f.text for f in findings_of_all(file)]
    built = tag_findings(texts)
    evaluated = Fitted(model, with_rules=True).scores(texts)
    assert [({tag.service for tag in tags} - {"mash"}, polarity.value) for tags, polarity in built] == [
        (stacked_tags(model.decider, scores, text), polarity)
        for text, (scores, polarity) in zip(texts, evaluated, strict=True)]
    assert sum(len(tags) for tags, _ in built) > len(texts)


def test_the_second_stage_decides_as_its_weights_say():
    # Decider sums each key's constant terms once; its choice is still the intercept plus
    # the weighted inputs it was fitted on, against the bar's log-odds.
    import math

    from ofsted_kg.extract.stacking import Decider, inputs
    from ofsted_kg.extract.textmodel import shipped_model

    stack = shipped_model().stack
    decider, bar = Decider.of(stack), math.log(stack["threshold"] / (1 - stack["threshold"]))
    cases = 0
    for key in ("front-door", "supervision", "youth-justice"):
        for found in ((), (f"rule:{key}",), (f"rule:{key}", f"rule:{key}:lead", f"rule:{key}:aside")):
            for probability in (0.01, 0.2, 0.35, 0.5, 0.65, 0.9):
                values = inputs(key, probability, found, stack["prior"][key], stack["rule_precision"][key])
                total = stack["intercept"] + sum(w * x for w, x in zip(stack["weights"], values, strict=True))
                assert decider.chosen(key, probability, found) == (total >= bar)
                cases += total >= bar
    assert 0 < cases < 54  # both answers occur


@pytest.mark.parametrize("text", [
    PARAGRAPHS["mash-"],
    # Curly apostrophes, capitals, digits and the two letters whose lower case is ASCII.
    "The \u0130LACS MASH\u2019s front-door work: 12 IROs \u2018chair\u2019 reviews. "
    "However, a \u212aelvin sign isn\u2019t good.",
])
def test_the_tagger_scores_the_features_the_model_was_trained_on(text):
    # A build reads the words once for the rules and the model and looks word pairs up as
    # pairs; training names the features (textmodel.features). Both must give one vector.
    from ofsted_kg.extract.tagging import _rules
    from ofsted_kg.extract.textmodel import features, shipped_model

    model = shipped_model()
    _, found, tokens = _rules(text)
    rows = model._dense[0]
    assert model.feature_rows(tokens, found) == [rows.get(name, -1) for name in features(text, found)]
    assert any(row >= 0 for row in model.feature_rows(tokens, found))


@pytest.fixture(scope="module")
def graph(sample_store):
    with open_graph(sample_store) as graph:
        yield graph


GREENWICH_2020 = "https://w3id.org/ofsted-kg/id/inspection/80495/ilacs/2019-12-09"


# The service each sample paragraph's key names (its key without the trailing + or -).
SERVICE_OF = {"mash": "mash", "early-help": "early-help", "strategy": "strategy-discussions",
              "cp": "child-protection-conferences", "missing": "missing-children",
              "private-fostering": "private-fostering", "lado": "lado", "iro": "iro", "fostering": "fostering",
              "adoption": "adoption", "placements": "placements", "leaving-care": "leaving-care",
              "court": "pre-proceedings", "virtual-school": "virtual-school", "health": "health-assessments",
              "supervision": "supervision", "quality-assurance": "quality-assurance", "workforce": "workforce",
              "exploitation": "exploitation"}
POLARITY_OF = {"+": "strength", "-": "area-for-improvement"}

# The shipped model's misses among the sample's paragraphs, with what it says instead
# (polarities, own service tagged); each is a strict xfail below, so a fix shows.
KNOWN_MISSES = {
    # 'cannot return home' and 'without delay' are weakness cues to the rules, whose
    # polarity the model weighs heavily (findings_training.SCALES).
    "adoption+": ({"area-for-improvement"}, True),
    # ('exploitation-', 'criminal exploitation' named once in a one-sentence paragraph, was
    # a miss of the bars of the models trained on 848 and 1,391 paragraphs; the second stage
    # of the model trained on 2,008 tags it.)
}


def _sample_findings(sample_graph) -> dict[str, tuple[set, bool]]:
    """Each sample paragraph (of the keys ending in + or -) as the store has it: its
    polarities, and whether the service its key names is tagged."""
    with open_graph(sample_graph) as graph:  # all thirteen sample reports
        rows = graph.sparql("""
            PREFIX ofsted: <https://w3id.org/ofsted-kg/def#>
            PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
            PREFIX dcterms: <http://purl.org/dc/terms/>
            SELECT ?text ?polarity ?service WHERE {
              ?inspection ofsted:finding ?node . ?node dcterms:description ?text ;
                    ofsted:polarity/skos:notation ?polarity .
              OPTIONAL { ?node ofsted:concernsService/skos:notation ?service }
            }""")
    key_of = {" ".join(text.split()): key for key, text in PARAGRAPHS.items() if key[-1] in "+-"}
    found: dict[str, set] = {}
    for row in rows:
        if key := key_of.get(" ".join(row["text"].split())):
            found.setdefault(key, set()).add((row["polarity"], row["service"]))
    assert set(found) == set(key_of.values())
    return {key: ({p for p, _ in tags}, SERVICE_OF[key[:-1]] in {s for _, s in tags})
            for key, tags in found.items()}


def test_each_sample_paragraph_is_tagged_as_its_key_says(sample_graph):
    """The sample's paragraphs (tests/sample_reports.py) are each written to be about one
    service, for or against it: the store says so of every one, which the tests below rely on."""
    read = _sample_findings(sample_graph)
    # The known misses of the model trained on 2,008 paragraphs read as recorded (and the tests below).
    assert {key: read.pop(key) for key in KNOWN_MISSES} == KNOWN_MISSES
    assert read == {key: ({POLARITY_OF[key[-1]]}, True) for key in read}


@pytest.mark.parametrize("key", sorted(KNOWN_MISSES))
@pytest.mark.xfail(strict=True, reason="a known miss of the shipped model (KNOWN_MISSES)")
def test_a_known_miss_among_the_sample_paragraphs(sample_graph, key):
    assert _sample_findings(sample_graph)[key] == ({POLARITY_OF[key[-1]]}, True)


def test_the_sample_return_home_interviews_paragraph_is_a_weakness(sample_graph):
    assert _sample_findings(sample_graph)["missing-"][0] == {"area-for-improvement"}


def test_greenwich_2020_mash_finding_and_iro_recommendation_are_in_the_graph(graph):
    rows = graph.sparql(f"""
        PREFIX ofsted: <https://w3id.org/ofsted-kg/def#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT DISTINCT ?kind ?number ?page ?polarity ?section WHERE {{
          {{ <{GREENWICH_2020}> ofsted:finding ?node . ?node ofsted:paragraph ?number ;
                ofsted:polarity/skos:notation ?polarity . BIND ("finding" AS ?kind) }}
          UNION
          {{ <{GREENWICH_2020}> ofsted:recommendation ?node . ?node ofsted:order ?number .
             BIND ("recommendation" AS ?kind) }}
          ?node ofsted:concernsService <{SERVICE}mash>, ?any ; ofsted:page ?page ;
                ofsted:section/skos:notation ?section .
        }}""")
    # The sample's Greenwich 2020: paragraph 2 (page 2) is a strength of the MASH.
    assert [(r["kind"], r["number"], r["page"], r["polarity"], r["section"]) for r in rows] == [
        ("finding", 2, 2, "strength", "help-and-protection")]
    iro = graph.query("service-findings-over-time", authority="Greenwich", service="iro")
    recommendation = [r for r in iro if r["kind"] == "recommendation"]
    assert [(r["start_date"], r["paragraph"], r["page"], r["matched"]) for r in recommendation] == [
        (date(2019, 12, 9), 4, 2, "independent reviewing officers")]
    assert recommendation[0]["text"] == IRO["greenwich-2020"]
    assert [(r["start_date"], r["kind"], r["paragraph"], r["polarity"]) for r in iro] == [
        (date(2019, 12, 9), "finding", 5, "area-for-improvement"),
        (date(2019, 12, 9), "recommendation", 4, "area-for-improvement"),  # what needs to improve
        (date(2024, 6, 3), "finding", 5, "strength")]


def test_mash_findings_of_greenwich_over_time(graph):
    rows = graph.query("service-findings-over-time", authority="Greenwich", service="mash")
    # The sample's MASH paragraphs: the first finding of SIF 2016 (numbered on from its 12
    # recommendations, page 3), paragraph 2 of 2020 and paragraph 1 of 2024.
    assert [(r["start_date"].year, r["paragraph"], r["page"], r["polarity"]) for r in rows] == [
        (2016, 13, 3, "strength"), (2019, 2, 2, "strength"), (2024, 1, 2, "strength")]


@pytest.mark.corpus
def test_mash_findings_of_greenwich_over_time_in_the_real_reports(known_store):
    with open_graph(known_store) as graph:
        rows = graph.query("service-findings-over-time", authority="Greenwich", service="mash")
    numbered = [(r["start_date"].year, r["paragraph"], r["page"]) for r in rows if r["paragraph"]]
    # Paragraphs about the MASH, read in the three reports. 2024 paragraphs 21 (children
    # missing education are referred to the MASH) and 58 (supervision is stronger in the
    # MASH), and 2016 paragraph 29 (schools refer a child missing education to the MASH), name
    # it only as the setting of another service: by the labelling rules, not about it.
    assert numbered == [(2016, 15, 11), (2019, 2, 2), (2024, 1, 2)]


def test_a_mention_of_the_previous_inspection_is_linked_to_it(graph):
    rows = graph.query("earlier-inspections-mentioned", authority="Greenwich")
    linked = [(r["start_date"], r["paragraph"], r["page"], r["mentioned_year"], r["earlier_start_date"],
               r["earlier_grade"]) for r in rows if r["earlier_start_date"]]
    # The sample's Greenwich 2020, paragraph 7: "... the previous inspection in 2016, when
    # services were judged to be good".
    assert linked == [(date(2019, 12, 9), 7, 2, 2016, date(2016, 5, 23), "good")]


def test_recommendations_per_service_counts_iro_recommendations(graph):
    rows = graph.query("recommendations-per-service", service="iro")
    # South Gloucestershire 2017 (recommendation 17) and Greenwich 2020 (the fourth item of
    # 'What needs to improve'): the sample's two recommendations about IROs.
    assert [(r["year"], r["recommendations"], r["inspections"]) for r in rows] == [(2017, 1, 1), (2020, 1, 1)]


def test_services_criticised_and_authorities_criticising_a_service(graph):
    national = {r["service"]: r for r in graph.query("services-criticised", as_at="2020-03-31")}
    # As at March 2020 the latest inspections are Greenwich 2020, Stockton 2019 and South
    # Gloucestershire 2019; only Greenwich's names IROs: its fourth recommendation and paragraph 5.
    assert (national["iro"]["recommendations"], national["iro"]["findings"]) == (1, 1)
    rows = graph.query("authorities-criticising-service", service="iro", as_at="2020-03-31")
    assert [(r["authority"], r["kind"], r["paragraph"], r["page"]) for r in rows] == [
        ("Greenwich", "finding", 5, 2), ("Greenwich", "recommendation", 4, 2)]


def test_services_weakness_to_strength_needs_a_criticism_then_only_strengths(graph):
    rows = graph.query("services-weakness-to-strength", authority="Greenwich")
    # Criticised in 2016 (a recommendation) or 2020 (a finding and a recommendation for IROs;
    # for care leavers, finding 29 on pathway plans and the recommendation on "plans for
    # children and care leavers"), and only praised in the next report.
    assert [(r["service"], r["end_date"].year, r["criticisms_before"], r["strengths_after"]) for r in rows] == [
        ("early-help", 2019, 1, 1), ("virtual-school", 2019, 1, 1), ("iro", 2024, 2, 1),
        ("leaving-care", 2024, 2, 1)]
    for row in rows:
        before = graph.query("service-findings-over-time", authority="Greenwich", service=row["service"])
        later = [r for r in before if r["start_date"].year == row["end_date"].year]
        assert later and {r["polarity"] for r in later} == {"strength"}


_BACK_PAGE_OR_CONTENTS = [
    "Piccadilly Gate", "enquiries@ofsted.gov.uk", "Crown copyright", "Open Government Licence",
    "Children and Family Court Advisory and Support Service (Cafcass), schools", "eepurl.com",
    "psi@nationalarchives", "If you would like a copy of this document", "Contents Executive summary",
    "was given the opportunity to review this section of the report",
    "have been cross-referenced with the outcomes",  # the national framework's footnote
]
# Headings and page furniture of SIF reports that a finding once ran on into (Barking and
# Dagenham 2014 no. 135, Blackpool 2014 no. 73, Manchester 2014 no. 153...).
_HEADINGS = [
    "What does the LSCB need to improve", "Key Judgement Judgement Grade", "has the following strengths",
    "Section 2: The effectiveness", "Priority and immediate action", "What the inspection judgements mean",
    "What does the local authority need to improve", "Information about the local authority",
    "Information about this local authority", "The graded judgment", "The graded judgement",
    "What the inspection judgments mean", "please telephone",
]
# What a paragraph says when it is about pre-proceedings, care proceedings or the courts.
_PRE_PROCEEDINGS_WORDS = ("proceeding", "plo", "public law outline", "court", "cafcass", "legal", "judicia",
                          "care order", "placement order", "supervision order")


@pytest.fixture(scope="module")
def corpus_findings(built):
    path, _summary = built
    with open_graph(path) as graph:
        return graph.sparql("""
            PREFIX ofsted: <https://w3id.org/ofsted-kg/def#>
            PREFIX dcterms: <http://purl.org/dc/terms/>
            PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
            SELECT ?node ?text (GROUP_CONCAT(?service; SEPARATOR=" ") AS ?services) WHERE {
              ?node a ofsted:Finding ; dcterms:description ?text .
              OPTIONAL { ?node ofsted:concernsService/skos:notation ?service }
            } GROUP BY ?node ?text""")


# Paragraphs whose number the extractor once missed, so that each was glued onto the one
# before: (report, number, page, its first words, the last words of the one before), read
# in the PDFs. Stockport prints a narrow no-break space after "15."; the others start with
# a figure.
_NUMBERED_AFTER_ALL = [
    ("80562_stockport/children's services inspection - 15 july 2025.pdf", 15, 4,
     "Stockport has a robust, well-coordinated multi-agency approach", "the impact of the child's plan."),
    ("80442_buckinghamshire/children's services inspection - 08 august 2014.pdf", 100, 19,
     "70% of looked after children are currently in good or outstanding schools",
     "to the 15.3% for all looked after children in England."),
    ("80467_east sussex/children's services inspection - 21 march 2014.pdf", 50, 14,
     "391 pupils across the county receive elective home education.",
     "Pupils continue to be monitored by FLESS following re-integration."),
]


@pytest.mark.parametrize(("file", "number", "page", "starts", "before_ends"), _NUMBERED_AFTER_ALL)
def test_a_paragraph_number_before_a_figure_or_an_odd_space_starts_its_paragraph(file, number, page, starts,
                                                                              before_ends):
    numbered = {f.number: f for f in findings_of_all(file) if f.number is not None}
    assert (numbered[number].page, numbered[number].text[:len(starts)]) == (page, starts)
    assert numbered[number - 1].text.endswith(before_ends)


def test_a_whole_run_is_kept_when_one_paragraph_starts_with_a_figure():
    # Cambridgeshire 2014 numbers its paragraphs up to 158; 52 to 54 start with a figure
    # ("307 families ..."), which once ended the run at 51 and lost the rest.
    numbers = [f.number for f in findings_of_all("80445_cambridgeshire/children's services inspection - "
                                                 "08 august 2014.pdf") if f.number is not None]
    assert numbers[:3] == [1, 2, 3] and 52 in numbers and max(numbers) == 158


def test_a_footnote_printed_without_its_number_inside_a_sentence_is_left_out():
    # Gloucestershire 2022 page 8: the note on the term 'care experienced young people' sits
    # at the foot of the page, unnumbered, between "to achieve their" and "own tenancy" (no. 42);
    # its mark is glued to "young people1" in no. 37.
    numbered = {f.number: f.text for f in findings_of_all(
        "80470_gloucestershire/children's services inspection - 01 april 2022.pdf") if f.number}
    assert "to help support them to achieve their own tenancy. Many young people" in numbered[42]
    assert "allocated to care experienced young people until after" in numbered[37]
    assert not [number for number, text in numbered.items() if "Instead of the term" in text]
    # Hertfordshire 2015 page 10: the note on "thriving families" stands, unnumbered, after a
    # blank line between "Referrals are appropriate and" and "demonstrate" (no. 15).
    numbered = {f.number: f.text for f in findings_of_all(
        "80475_hertfordshire/children's services inspection - 27 november 2015.pdf") if f.number}
    assert "Referrals are appropriate and demonstrate that other professionals" in numbered[15]
    assert "a successful thriving families service . School professionals" in numbered[11]


def test_inspection_findings_after_a_boards_recommendations_are_the_boards():
    # South Gloucestershire 2017 prints the LSCB review's summary and recommendations (nos.
    # 131-139) and then "Inspection findings" over nos. 140-167, once read as recommendations.
    found = findings_of_all("80556_south gloucestershire/children's services inspection - 13 february 2017.pdf")
    board = [f.number for f in found if f.section == "lscb"]
    assert board == [None, *range(140, 168)]  # the board's summary (page 38), then its findings
    assert not [f.number for f in found if f.number and 131 <= f.number <= 139]
    # Surrey's review of its board alone (August 2015): no area heading before "Inspection
    # findings", whose nos. 1-17 are kept as plain findings (none were, before).
    surrey = [(f.section, f.number) for f in findings_of_all(
        "80567_surrey/children's services inspection - 03 august 2015.pdf") if f.number]
    assert surrey == [("findings", number) for number in range(1, 18)]


def test_a_boards_summary_is_the_boards_not_a_second_executive_summary():
    # SIF reports review the safeguarding board after the authority, and the board's part has
    # a summary of its own: Norfolk 2015 heads it "Executive summary" under "The Local
    # Safeguarding Children Board (LSCB)" on page 39; Manchester 2014 numbers its "Summary of
    # findings" 147-153 (page 35); Waltham Forest 2015 heads the board's part "Local Safeguarding
    # Children Board (LSCB)", without "The" (page 38), and no. 160 once ended with it.
    norfolk = findings_of_all("80418_norfolk/children's services inspection - 20 october 2015.pdf")
    summaries = [(f.section, f.page, f.text[:40]) for f in norfolk if f.number is None]
    assert summaries == [("executive-summary", 6, "Following previous inspections, where se"),
                         ("lscb", 39, "The Norfolk Safeguarding Children Board ")]
    manchester = {f.number: f.section for f in findings_of_all(
        "80521_manchester/children's services inspection - 03 september 2014.pdf") if f.number}
    assert {manchester[number] for number in range(147, 154)} == {"lscb"}
    assert manchester[1] == "executive-summary"
    waltham = findings_of_all("80517_waltham forest/children's services inspection - 20 january 2015.pdf")
    assert [(f.section, f.page) for f in waltham if f.number is None] == [("executive-summary", 3), ("lscb", 38)]
    no_160 = next(f for f in waltham if f.number == 160)
    assert no_160.text.endswith("are currently on, the ASYE programme.")


def test_sif_2014_headings_end_and_start_their_sections():
    # Sheffield 2014: "The graded judgement for the experiences and progress of care leavers
    # is good" heads nos. 83-88 (once read as adoption); Barking and Dagenham 2014: "The local
    # authority has the following strengths" heads no. 16 on, and no. 135 ends before the
    # judgements' definitions and "Section 2: The effectiveness of the Local Safeguarding
    # Children Board"; Coventry 2014: the board's "Priority and immediate action" (nos.
    # 120-123) are recommendations, not findings.
    sheffield = {f.number: f.section for f in findings_of_all(
        "80551_sheffield/children's services inspection - 21 february 2014.pdf") if f.number}
    assert {sheffield[number] for number in range(83, 89)} == {"care-leavers"}
    # ... until "Leadership, management and governance are good" (page 22) heads no. 89 on.
    assert sheffield[89] == "leadership-management-governance"
    barking = {f.number: f for f in findings_of_all(
        "80486_barking and dagenham/children's services inspection - 07 july 2014.pdf") if f.number}
    assert (barking[15].section, barking[16].section) == ("executive-summary", "strengths")
    assert barking[15].text.endswith("impact all services have on children.")
    assert barking[135].text.endswith("does not identify who is responsible for carrying these actions through.")
    coventry = {f.number for f in findings_of_all(
        "80456_coventry/children's services inspection - 21 march 2014.pdf")}
    assert coventry.isdisjoint({120, 121, 122, 123}) and 119 in coventry


def test_sif_information_headings_end_the_finding_before_them():
    # SIF 2015-2018 print "The local authority" alone above "Information about this local
    # authority area" (Norfolk 2018, page 5): 58 executive summaries ended with that heading.
    # Manchester 2017 heads the part "Information about the local authority area" and Surrey
    # (June 2015) "Information about the local authority inspection": their page of
    # information, 4 to 5 thousand characters, ran on in the executive summary and no. 157.
    norfolk = findings_of_all("80418_norfolk/children's services inspection - 19 january 2018.pdf")
    assert norfolk[0].section == "executive-summary"
    assert norfolk[0].text.endswith("leader of the council, supported by significant financial investment.")
    manchester = findings_of_all("80521_manchester/children's services inspection - 21 december 2017.pdf")
    assert manchester[0].section == "executive-summary"
    assert manchester[0].text.endswith("examples of good assessments and targeted work to reduce risks.")
    surrey = {f.number: f for f in findings_of_all(
        "80567_surrey/children's services inspection - 03 june 2015.pdf")}
    assert surrey[157].text.endswith("care leavers not having their welfare safeguarded and promoted.")


def test_sif_recommendations_under_area_sub_headings_are_not_findings():
    # SIF 2014-2015 group their areas for improvement under the areas' short names; the first,
    # "Leadership, Management and Governance", once made Leeds 2015's recommendations 1-15
    # leadership's findings (page 4: "1. Extend the reach of the outcomes-based accountability
    # approach"). Its findings start with the strengths, no. 16 on page 5. Surrey (June 2015)
    # heads its summary's bullets the same way: they stay in the summary (page 3).
    leeds = [(f.section, f.number, f.page) for f in findings_of_all(
        "80481_leeds/children's services inspection - 27 march 2015.pdf") if f.number]
    assert leeds[0] == ("strengths", 16, 5)
    surrey = findings_of_all("80567_surrey/children's services inspection - 03 june 2015.pdf")
    assert surrey[0].section == "executive-summary"
    assert "The local authority is not adequately discharging its statutory duty to children in need." in (
        surrey[0].text)
    assert min(f.number for f in surrey if f.number) == 26


def test_sif_2014_2015_judgment_and_progress_headings_start_their_sections():
    # Blackpool 2014 heads nos. 42-46 "Progress since the last inspection" (page 9), once read as
    # strengths with the heading glued to no. 41. Halton 2015 spells "The graded judgment for
    # adoption performance is that it is good" without the e: its adoption and care leavers'
    # paragraphs were read as looked-after children's, each area's last with the heading glued on.
    blackpool = {f.number: f for f in findings_of_all(
        "80431_blackpool/children's services inspection - 08 september 2014.pdf") if f.number}
    assert [blackpool[n].section for n in range(41, 48)] == [
        "strengths", *["progress-since-last-inspection"] * 5, "help-and-protection"]
    assert blackpool[41].text.endswith("an increase from 22 children in 2012\u201313.")
    halton = [f for f in findings_of_all("80471_halton/children's services inspection - 03 february 2015.pdf")
              if f.number]
    assert [f.number for f in halton if f.section == "adoption-performance"] == list(range(94, 106))
    assert [f.number for f in halton if f.section == "care-leavers"] == list(range(106, 119))
    assert not any("The graded judgment" in f.text for f in halton)
    # Leeds 2015: "The graded judgement for adoption is good" heads nos. 112-134, "... for care
    # leavers is good" nos. 135-152.
    leeds = [f for f in findings_of_all("80481_leeds/children's services inspection - 27 march 2015.pdf")
             if f.number]
    assert [f.number for f in leeds if f.section == "adoption-performance"] == list(range(112, 135))
    assert [f.number for f in leeds if f.section == "care-leavers"] == list(range(135, 153))


def test_looked_after_childrens_inspections_of_2013_keep_their_findings():
    # Norfolk 2013 (an inspection of looked after children services): nos. 1-7 are "About this
    # inspection" and "Service information", no. 15 the areas for improvement; the findings are
    # nos. 8-14 and 16-72, under "Overall effectiveness", "Capacity to improve", "Outcomes for
    # looked after children and young people", "Quality of provision" and "Leadership and
    # management". Only nos. 1-14 were kept, the first seven wrongly: every heading after the
    # areas for improvement was unknown, so all that followed was read as recommendations.
    norfolk = findings_of_all("80418_norfolk/children's services inspection,  pdf - 16 august 2013.pdf")
    assert [f.number for f in norfolk] == [*range(8, 15), *range(16, 73)]
    assert {f.section for f in norfolk} == {"findings"}
    assert norfolk[2].text.endswith("too many children with an adoption plan have been waiting too long for a "
                                    "suitable placement.")


def test_the_lscb_judgments_definitions_end_the_last_finding():
    # Bolton 2014 spells the heading "What the inspection judgments mean: the LSCB" (page 32): the
    # grades' definitions and Ofsted's complaints guidance ran on in the board's last finding.
    bolton = {f.number: f for f in findings_of_all(
        "80432_bolton/children's services inspection - 21 march 2014.pdf")}
    assert bolton[159].text.endswith("The Sleep Safe campaign has successfully reduced the death rate from "
                                     "previous figures.")


def test_area_headings_in_other_words_start_their_sections():
    # Coventry 2014: "Leadership, management and governance are inadequate" heads nos. 106-119
    # (once read as care leavers', after nos. 97-105). Gateshead 2016: "Adoption performance is
    # good" heads nos. 61-75 and "The experience and progress of care leavers requires
    # improvement" nos. 76-87 (once looked after children's). Manchester 2025: "The experiences
    # of children in care: outstanding" heads nos. 18-35 (once help and protection's).
    def numbers(file: str) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for f in findings_of_all(file):
            if f.number:
                found.setdefault(f.section, []).append(f.number)
        return found

    coventry = numbers("80456_coventry/children's services inspection - 21 march 2014.pdf")
    assert coventry["care-leavers"] == list(range(97, 106))
    assert coventry["leadership-management-governance"] == list(range(106, 120))
    gateshead = numbers("80469_gateshead/children's services inspection - 11 march 2016.pdf")
    assert gateshead["adoption-performance"] == list(range(61, 76))
    assert gateshead["care-leavers"] == list(range(76, 88))
    manchester = numbers("80521_manchester/children's services inspection - 11 november 2025.pdf")
    assert manchester["children-in-care"] == list(range(18, 36))
    assert manchester["help-and-protection"] == list(range(1, 18))


def test_a_paragraph_number_printed_with_two_stops_starts_its_paragraph():
    # Gloucestershire 2025, page 8: "...to support digital access. 46.. Most care leavers live in
    # suitable accommodation": no. 46 was glued to no. 45.
    found = findings_of("80470_gloucestershire/children's services inspection - 04 august 2025.pdf")
    assert found[45].text.endswith("broadband to support digital access.")
    assert found[46].text.startswith("Most care leavers live in suitable accommodation that meets their needs.")
    assert (found[46].page, found[46].section) == (8, "care-leavers")


def test_section_headings_without_their_first_the_are_read():
    # Lewisham 2024 heads its sections "Experiences and progress of children in care: good"
    # (no "The"): once read as part of "What needs to improve?", and so no finding was kept.
    found = findings_of_all("80508_lewisham/children's services inspection - 31 january 2024.pdf")
    runs = [(section, [f.number for f in group]) for section, group in groupby(found, key=lambda f: f.section)]
    assert [(section, numbers[0], numbers[-1], len(numbers)) for section, numbers in runs[1:]] == [
        ("help-and-protection", 1, 15, 15), ("children-in-care", 16, 32, 17), ("care-leavers", 33, 42, 10),
        ("impact-of-leaders", 43, 63, 21)]


def test_a_paragraph_number_after_a_sentence_on_the_same_line_is_taken_only_as_the_next():
    text = ("1. One is good.\n2. Two is good.\n3. Three is good. 4. Four is good.\n5. Five is good. 9. Nine.\n"
            "6. Six is good.\n")
    assert [int(m.group(1)) for m in _chains(text)[0]] == [1, 2, 3, 4, 5, 6]


@pytest.mark.corpus
def test_no_finding_in_the_corpus_holds_back_page_or_contents_text(corpus_findings):
    assert len(corpus_findings) > 20_000
    offending = [(row["node"], phrase) for row in corpus_findings for phrase in _BACK_PAGE_OR_CONTENTS
                 if phrase.lower() in row["text"].lower()]
    assert offending == []


@pytest.mark.corpus
def test_no_finding_in_the_corpus_runs_on_into_a_heading(corpus_findings):
    offending = [(row["node"], phrase) for row in corpus_findings for phrase in _HEADINGS
                 if phrase.lower() in row["text"].lower()]
    assert offending == []
    # SIF's part heading, a common phrase inside sentences, never ends a finding.
    assert [row["node"] for row in corpus_findings if row["text"].endswith("The local authority")] == []


@pytest.mark.corpus
def test_pre_proceedings_is_tagged_only_where_the_paragraph_says_so(corpus_findings, built):
    tagged = [row for row in corpus_findings if "pre-proceedings" in (row["services"] or "").split()]
    assert tagged
    silent = [row["node"] for row in tagged if not any(w in row["text"].lower() for w in _PRE_PROCEEDINGS_WORDS)]
    assert silent == []
    # And so the criticism list names only authorities whose own findings say so.
    with open_graph(built[0]) as graph:
        rows = graph.query("authorities-criticising-service", service="pre-proceedings")
    findings = [row for row in rows if row["kind"] == "finding"]
    assert findings
    unsupported = [r["authority"] for r in findings
                   if not any(w in r["text"].lower() for w in _PRE_PROCEEDINGS_WORDS)]
    assert unsupported == []


def test_a_sentence_broken_before_what_needs_to_improve_is_no_heading():
    # Bolton 2023, page 4: no. 15 runs on to a line "what needs to improve in children's lives,
    # with clear timescales." That line was read as the heading "What needs to improve", so the
    # rest of no. 15 and all of no. 16 became recommendations.
    found = findings_of("80432_bolton/children's services inspection - 27 october 2023.pdf")
    assert found[15].text.endswith("what needs to improve in children's lives, with clear timescales.")
    assert found[16].text.startswith("Children are supported to remain with their families when it is safe")
    assert (found[16].page, found[16].section) == (4, "help-and-protection")
    # Cheshire East 2015, pages 40-41: "... good oversight and understanding of / what needs to
    # improve." cut leadership's findings at no. 147; nos. 148-150 follow on page 41.
    found = findings_of("80447_cheshire east/children's services inspection - 15 september 2015.pdf")
    assert found[147].text.endswith("with refresher courses for those who have already attended.")
    assert [(found[n].page, found[n].section) for n in (148, 149, 150)] == [
        (41, "leadership-management-governance")] * 3
    # Warwickshire 2017, page 3: the executive summary's "... and therefore of / what needs to improve."
    summary = findings_of_all("80576_warwickshire/children's services inspection - 14 july 2017.pdf")[0]
    assert summary.section == "executive-summary"
    assert summary.text.endswith("has been successful in reducing its use of agency staff.")


def test_a_summary_line_that_starts_with_a_number_does_not_end_the_summary():
    # Lancashire 2015, page 3: "... particularly once they reach / 16. Many looked after
    # children still wait too long for permanence": the summary stopped at "reach" and lost
    # the rest of page 3 and all of page 4, the "16." being no paragraph of the report's runs.
    summary = findings_of_all("80480_lancashire/children's services inspection - 27 november 2015.pdf")[0]
    assert summary.section == "executive-summary"
    assert "particularly once they reach 16. Many looked after children still wait too long" in summary.text
    assert summary.text.endswith("set out the detailed findings of this inspection.")


def test_the_lead_in_to_a_numbered_summary_is_no_finding():
    # Bolton 2014, page 3: "Summary of key findings / This local authority requires improvement
    # and is not yet good because / 1. Staff from agencies ...": the lead-in was a finding of
    # its own; the numbered paragraphs after it are the summary's findings.
    found = findings_of_all("80432_bolton/children's services inspection - 21 march 2014.pdf")
    assert [(f.section, f.number, f.page) for f in found[:2]] == [("executive-summary", 1, 3),
                                                                ("executive-summary", 2, 3)]
    assert found[0].text.startswith("Staff from agencies who have a statutory role in investigating")
    # Manchester 2014 leads into the board's summary the same way (page 35).
    manchester = findings_of_all("80521_manchester/children's services inspection - 03 september 2014.pdf")
    assert not [f for f in manchester if f.number is None and f.page == 35]


def test_a_sentence_line_in_lower_case_is_no_heading_of_recommendations():
    from ofsted_kg.extract.common import Page1
    from ofsted_kg.extract.ilacs import extract_recommendations
    from ofsted_kg.facts import Document

    page = ("Leaders want social workers to understand\nwhat needs to improve\nin every child's plan.\n"
            "What needs to improve?\n\u25fc The timeliness of return home interviews.\n"
            "\u25fc The quality of supervision, so that\nthe experiences of children shape their plans.\n"
            "The experiences and progress of children who need help and protection: good\n1. Children")
    found = extract_recommendations(Page1(Document("x.pdf", "0" * 64, (page,))))
    assert [r.text for r in found] == ["The timeliness of return home interviews.",
                                       "The quality of supervision, so that the experiences of children shape "
                                       "their plans."]


def test_the_boards_strengths_and_judgement_after_its_recommendations_are_findings():
    # Manchester 2014, pages 36-38: "What does the LSCB need to improve?" (nos. 154-163), then
    # "The LSCB's strengths" (no. 164 on) and "Inspection judgement about the LSCB" (no. 172 on):
    # both were read as more recommendations, and 19 reports of 2014-2015 lost 368 findings.
    found = findings_of("80521_manchester/children's services inspection - 03 september 2014.pdf")
    assert set(found).isdisjoint(range(154, 164))
    assert {found[number].section for number in range(164, 183)} == {"lscb"}
    assert found[164].text.startswith("The LSCB Chair is a member of both the Health and Wellbeing Board")
    assert (found[164].page, found[172].page) == (37, 37)
    assert found[172].text.startswith("The Board has not been able to demonstrate sufficient awareness")
    assert max(found) == 182
    # Central Bedfordshire 2017, page 27, prints "Inspection findings ─ the Local Safeguarding
    # Children Board" with a box-drawing dash: nos. 87-104 were read as recommendations.
    found = findings_of("80446_central bedfordshire/children's services inspection - 25 august 2017.pdf")
    assert (found[87].section, found[87].page) == ("lscb", 27)
    assert found[87].text.startswith("An influential independent chair, diligent business manager")
    assert {found[number].section for number in range(87, 105)} == {"lscb"}


def test_a_recommendations_heading_the_text_layer_put_last_on_its_page_goes_back_to_its_top():
    # Redbridge 2016, page 37: the board's recommendations (nos. 123-125) head the page, then
    # "Inspection findings - the Local Safeguarding Children Board" (no. 126 on); the text layer
    # prints the page's "Recommendations" heading last, after no. 129, and nos. 130-148 were
    # read as recommendations while 123-125 were read as findings.
    found = findings_of("80512_redbridge/children's services inspection - 25 november 2016.pdf")
    assert set(found).isdisjoint(range(123, 126))
    assert (found[126].section, found[126].page) == ("lscb", 37)
    assert found[129].text.endswith("leadership and management of the board by the chair.")
    assert (found[130].section, found[130].page) == ("lscb", 38)
    assert found[130].text.startswith("The board demonstrates a culture of effective and respectful challenge")
    assert {found[number].section for number in range(126, 149) if number != 146} == {"lscb"}
    assert max(found) == 148


def test_a_heading_glued_to_the_summarys_last_line_is_not_part_of_it():
    # Gloucestershire 2025, page 2: the text layer prints "... education or training. What
    # needs to / improve?" and then the heading "What Needs to Improve" itself.
    summary = findings_of_all("80470_gloucestershire/children's services inspection - 04 august 2025.pdf")[0]
    assert summary.section == "executive-summary"
    assert summary.text.endswith("to help them into employment, education or training.")


def test_the_summary_after_a_table_without_overall_effectiveness_is_read():
    # Inspections from 27 April 2026 print no overall effectiveness, whose grade ended the table;
    # the six such reports lost their summary. North Northamptonshire 2026, page 1:
    found = findings_of_all("2637539_north northamptonshire/children's services inspection - 07 july 2026.pdf")
    assert (found[0].section, found[0].number, found[0].page) == ("executive-summary", None, 1)
    assert found[0].text.startswith("The experiences of children, young people and families in North "
                                    "Northamptonshire have significantly improved since the previous inspection")
    assert found[0].text.endswith("keeping children safer and helping them make positive progress.")


def test_a_grade_wrapped_over_two_lines_ends_the_table():
    from ofsted_kg.extract.common import Page1
    from ofsted_kg.extract.findings import extract_findings
    from ofsted_kg.facts import Document

    page = ("Inspection of Anytown local authority children's services\nJudgement Grade\n"
            "The impact of leaders on practice with\nchildren and families\nGood\n"
            "The experiences and progress of care\nleavers\nRequires improvement\nto be good\n"
            "Leaders in Anytown know their services\nwell and have made them better.\nWhat needs to improve?\n")
    expected = [("executive-summary", "Leaders in Anytown know their services well and have made them better.")]
    found = extract_findings(Page1(Document("x.pdf", "0" * 64, (page,))), "ilacs")
    assert [(f.section, f.text) for f in found] == expected
    # The same with the head's cells on two lines, or with no head at all.
    for head in ("Judgement\nGrade\n", ""):
        changed = page.replace("Judgement Grade\n", head)
        found = extract_findings(Page1(Document("x.pdf", "0" * 64, (changed,))), "ilacs")
        assert [(f.section, f.text) for f in found] == expected
