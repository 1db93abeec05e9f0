"""ofsted-kg: Ofsted inspections of children's services as a validated RDF knowledge graph.

The pipeline, one module per stage: ``read`` (documents to text), ``extract`` (text to
facts), ``mapping`` (facts to RDF), ``store``, ``validate``, ``query``, ``export``, with
``build`` tying them together and ``cli`` on top.
"""

__version__ = "0.1.0"

from ofsted_kg.api import KnowledgeGraph, Rows, open_graph  # noqa: E402

__all__ = ["KnowledgeGraph", "Rows", "open_graph", "__version__"]
