"""The README's examples of the stored queries are what the queries give (tests/readme_examples.py)."""

from ofsted_kg.query import stored_queries

from .readme_examples import README, command, render, section


def test_the_readme_shows_every_stored_query_with_its_example_and_its_answer(sample_graph):
    shown = section(README.read_text(encoding="utf-8"))
    assert shown == render(sample_graph), "the README's query examples are stale: python -m tests.readme_examples"


def test_every_stored_query_has_its_command_in_the_readme():
    shown = section(README.read_text(encoding="utf-8"))
    for name in stored_queries():
        assert f"**{name}**: " in shown and f"$ ofsted-kg {' '.join(command(name))}\n" in shown, name
