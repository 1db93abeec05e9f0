"""Documents to text (each reader returns a ``facts.Document``), and data files to
triples or rows. Other stages import from here only."""

from ofsted_kg.read.data import DataFile, read_data
from ofsted_kg.read.files import file_sha256
from ofsted_kg.read.pdf import read_pdf
from ofsted_kg.read.table import Table, template
from ofsted_kg.read.text import TEXT_SUFFIXES, read_text

__all__ = ["TEXT_SUFFIXES", "DataFile", "Table", "file_sha256", "read_data", "read_pdf",
           "read_text", "template"]
