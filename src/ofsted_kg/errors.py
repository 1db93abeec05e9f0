"""The package's exceptions: one base class, one subclass per pipeline stage.

Each error names what it concerns (a file, a query, an endpoint) so that ``str()``
is a single line a user can act on: ``subject: reason``.
"""

from __future__ import annotations


class OfstedKgError(Exception):
    """Base class of every error this package raises on purpose."""

    def __init__(self, reason: str, subject: str | None = None) -> None:
        self.reason = " ".join(str(reason).split())
        self.subject = subject
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.subject}: {self.reason}" if self.subject else self.reason


class ReadError(OfstedKgError):
    """A document cannot be opened or holds no text."""


class ExtractionError(OfstedKgError):
    """A document was read but a required fact could not be found in it."""


class ValidationError(OfstedKgError):
    """A graph does not conform to the shapes (carries the report's text)."""


class StoreError(OfstedKgError):
    """The embedded store cannot be opened, read or written."""


class QueryError(OfstedKgError):
    """An unknown query, a bad parameter or a query the engine rejects."""


class RemoteError(OfstedKgError):
    """A SPARQL endpoint is unreachable or refuses a request."""


class ResultTooLarge(QueryError):
    """A query served over HTTP gives more rows than the server's limit."""
