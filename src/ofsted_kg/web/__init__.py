"""Pages for people, in the spirit of datasette: read-only HTML over the graph, served by
``ofsted-kg serve`` beside the SPARQL endpoint and the API. Templates, style sheet and the
pages' SPARQL ship inside the package, so the pages work offline."""

from ofsted_kg.web.app import Front, Pages, PagesBusy, PageSlots, busy

__all__ = ["Front", "Pages", "PageSlots", "PagesBusy", "busy"]
