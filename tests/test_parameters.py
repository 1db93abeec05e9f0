"""Allowed values of stored-query parameters: read from the vocabularies, checked, suggested."""

import pytest

from ofsted_kg.parameters import (
    CONCEPT_CLASSES,
    REGISTRY_VOCABULARIES,
    ParameterValueError,
    check_values,
    choices,
    enumerations,
    suggest,
    vocabulary,
)
from ofsted_kg.query import get_query, prepare, stored_queries


def values(name):
    return [choice.value for choice in vocabulary(name)]


def test_the_vocabularies_come_from_the_ontology_and_the_registry():
    assert values("frameworks") == ["child-protection", "ilacs", "jtai", "lac", "sif", "slac"]
    assert values("grades") == ["adequate", "good", "inadequate", "not-judged", "outstanding",
                                "requires-improvement"]
    assert values("changes") == ["declined", "improved"]
    assert values("problems")[:3] == ["does-not-conform", "missing-area", "no-dates"]
    assert {"mash", "iro", "leaving-care", "lado", "early-help"} <= set(values("services"))
    assert {"overall-effectiveness", "impact-of-leaders", "lscb"} <= set(values("areas"))
    assert len(values("areas")) == len(set(values("areas")))  # a notation shared by frameworks once
    assert values("regions") == ["East Midlands", "East of England", "London", "North East", "North West",
                                 "South East", "South West", "West Midlands", "Yorkshire and The Humber"]


def test_every_enumeration_in_a_query_header_names_a_parameter_and_a_vocabulary():
    known = {*CONCEPT_CLASSES, *REGISTRY_VOCABULARIES}
    listed = 0
    for query in stored_queries().values():
        names = {p.name for p in query.parameters}
        for parameter, vocabulary_name in enumerations(query).items():
            assert parameter in names and vocabulary_name in known, (query.name, parameter)
            assert vocabulary(vocabulary_name), vocabulary_name
            listed += 1
    assert listed >= 15


def test_the_defaults_and_examples_of_enumerated_parameters_are_allowed():
    for query in stored_queries().values():
        for parameter in query.parameters:
            allowed = choices(query, parameter.name)
            if allowed and parameter.type != "authority":
                for value in filter(None, (parameter.default, parameter.example)):
                    assert value in [c.value for c in allowed], (query.name, parameter.name, value)


@pytest.mark.parametrize(("typed", "vocabulary_name", "nearest"), [
    ("MASH", "services", "mash"),
    ("care leavers", "services", "leaving-care"),
    ("Barnett", "authorities", "Barnet"),
    ("Stockton", "authorities", "Stockton-on-Tees"),
    ("ILACS", "frameworks", "ilacs"),
    ("Londn", "regions", "London"),
    ("up", "changes", "improved"),
])
def test_the_nearest_value_is_suggested_first(typed, vocabulary_name, nearest):
    assert suggest(typed, vocabulary(vocabulary_name))[0] == nearest


def test_a_value_outside_the_list_is_an_error_that_lists_the_allowed_values():
    with pytest.raises(ParameterValueError) as raised:
        check_values(get_query("grade-changes"), {"change": "better than before"})
    assert str(raised.value) == ("parameter change='better than before' is not one of the changes; "
                                 "allowed: declined, improved")
    assert (raised.value.parameter, raised.value.allowed) == ("change", ["declined", "improved"])


def test_an_unknown_authority_suggests_the_nearest_names():
    with pytest.raises(ParameterValueError, match=r"^no authority called 'Barnett'; did you mean Barnet or "):
        prepare("authority-history", {"authority": "Barnett"})


def test_an_allowed_value_is_bound():
    assert '"mash"' in prepare("authorities-criticising-service", {"service": "mash"})
    assert '"london"' in prepare("authorities", {"region": "london"})  # regions compare ignoring case


def test_a_query_about_one_authority_takes_its_stated_default():
    """The acceptance contract runs every stored query without parameters: the three about
    one authority keep the default their header states (the command line says so)."""
    for name in ("authority-history", "statistical-neighbours", "service-findings-over-time"):
        assert "<https://w3id.org/ofsted-kg/id/authority/80495>" in prepare(name, {})


def test_the_openapi_document_lists_the_allowed_values():
    from ofsted_kg.serve import openapi_document

    paths = openapi_document()["paths"]
    change = paths["/api/queries/grade-changes"]["get"]["parameters"][0]
    assert change["schema"] == {"type": "string", "enum": ["declined", "improved"]}
    service = paths["/api/queries/recommendations-per-service"]["get"]["parameters"][0]
    assert "mash" in service["schema"]["enum"]
