# For each judgement, the areas it counts under when frameworks are compared: its own
# area and every area linked to it with skos:closeMatch in ontology/areas.ttl, either
# way. The national table then finds "leaders" or "children in care" grades of any
# framework with one join instead of testing every judgement's area against the links.
# Run after every build; the triples live in graph/derived and are deleted and inserted
# again each time.
BASE <https://w3id.org/ofsted-kg/id/>
PREFIX ofsted: <https://w3id.org/ofsted-kg/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>

DELETE WHERE { GRAPH <graph/derived> { ?judgement ofsted:comparableArea ?area } } ;

INSERT { GRAPH <graph/derived> { ?judgement ofsted:comparableArea ?area } }
WHERE { GRAPH ?report { ?inspection ofsted:judgement ?judgement . ?judgement ofsted:area ?area . } } ;

# Each side a subquery of its own: the judgements' areas, then the vocabulary's few links,
# joined on the area (half the time of letting the engine walk from one to the other).
INSERT { GRAPH <graph/derived> { ?judgement ofsted:comparableArea ?comparable } }
WHERE {
  { SELECT ?judgement ?area WHERE { GRAPH ?report { ?inspection ofsted:judgement ?judgement . ?judgement ofsted:area ?area . } } }
  {
    SELECT DISTINCT ?area ?comparable WHERE {
      GRAPH ?vocabulary { { ?area skos:closeMatch ?comparable } UNION { ?comparable skos:closeMatch ?area } }
    }
  }
}
