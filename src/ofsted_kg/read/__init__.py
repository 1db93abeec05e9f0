"""Documents to text: each reader returns a ``facts.Document``."""

from ofsted_kg.read.pdf import read_pdf

__all__ = ["read_pdf"]
