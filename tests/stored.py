"""The values a test gives a stored query's required parameters: its header's examples."""

from ofsted_kg.query import get_query


def required_examples(name: str) -> dict[str, str]:
    """Each parameter the query needs (required, no default) with its example value."""
    query = get_query(name)
    return {p.name: str(p.example) for p in query.parameters if p.required and not p.default}


def param_options(name: str) -> list[str]:
    """The same as ``-p NAME=VALUE`` options for the command line."""
    return [option for key, value in required_examples(name).items() for option in ("-p", f"{key}={value}")]
