# Shortcuts that the stored queries would otherwise recompute on every run: each
# inspection's overall grade, and for the graded ILACS and SIF inspections (those the
# "latest" and "as at" queries consider: inspections and re-inspections that give
# judgements, with or without an overall effectiveness grade, which inspections from 27
# April 2026 do not give) the one before it and the dates between which it is its
# authority's latest. "Latest as at D" is then a range test, not a MAX over every
# inspection of every authority.
# Run after every build; the triples live in a graph of their own (graph/derived), and
# each of its predicates is deleted and inserted again, so a rebuild that adds reports
# leaves no stale shortcut.
BASE <https://w3id.org/ofsted-kg/id/>
PREFIX ofsted: <https://w3id.org/ofsted-kg/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX kind: <https://w3id.org/ofsted-kg/def/kind/>

DELETE WHERE { GRAPH <graph/derived> { ?inspection ofsted:overallGrade ?grade } } ;
DELETE WHERE { GRAPH <graph/derived> { ?inspection ofsted:previousGradedInspection ?before } } ;
DELETE WHERE { GRAPH <graph/derived> { ?inspection ofsted:latestFrom ?from } } ;
DELETE WHERE { GRAPH <graph/derived> { ?inspection ofsted:supersededOn ?until } } ;

INSERT { GRAPH <graph/derived> { ?inspection ofsted:overallGrade ?grade } }
WHERE {
  GRAPH ?report { ?inspection ofsted:judgement ?judgement . ?judgement ofsted:area ?area ; ofsted:grade ?grade . }
  GRAPH ?vocabulary { ?area skos:notation "overall-effectiveness" }
} ;

# The graded inspection of the same authority that ended last before this one ended
# (two if two ended that day), as the queries on consecutive inspections pair them. Each
# side is the distinct graded inspections (a subquery), not one row per judgement: the
# pairs of an authority's judgements made this update twice as slow.
INSERT { GRAPH <graph/derived> { ?after ofsted:previousGradedInspection ?before } }
WHERE {
  {
    SELECT ?after ?authority (MAX(?earlier_end) AS ?previous_end) WHERE {
      {
        SELECT DISTINCT ?after ?authority ?end WHERE {
          GRAPH ?report { ?after ofsted:authority ?authority ; ofsted:endDate ?end ; ofsted:framework ?framework ;
                                 ofsted:inspectionKind ?kind ; ofsted:judgement ?judgement . }
          FILTER (?kind IN (kind:inspection, kind:reinspection))
          GRAPH ?vocabulary { ?framework skos:notation ?fw }
          FILTER (?fw IN ("ilacs", "sif"))
        }
      }
      {
        SELECT DISTINCT ?earlier ?authority ?earlier_end WHERE {
          GRAPH ?report { ?earlier ofsted:authority ?authority ; ofsted:endDate ?earlier_end ; ofsted:framework ?framework ;
                                   ofsted:inspectionKind ?kind ; ofsted:judgement ?judgement . }
          FILTER (?kind IN (kind:inspection, kind:reinspection))
          GRAPH ?vocabulary { ?framework skos:notation ?fw }
          FILTER (?fw IN ("ilacs", "sif"))
        }
      }
      FILTER (?earlier_end < ?end)
    }
    GROUP BY ?after ?authority
  }
  {
    SELECT DISTINCT ?before ?authority ?previous_end WHERE {
      GRAPH ?report { ?before ofsted:authority ?authority ; ofsted:endDate ?previous_end ; ofsted:framework ?framework ;
                              ofsted:inspectionKind ?kind ; ofsted:judgement ?judgement . }
      FILTER (?kind IN (kind:inspection, kind:reinspection))
      GRAPH ?vocabulary { ?framework skos:notation ?fw }
      FILTER (?fw IN ("ilacs", "sif"))
    }
  }
} ;

# A graded inspection is its authority's latest as at D when its report is published by
# D and no graded inspection that ended later is: from its (first) publication date
# until the first publication of one that ended later, if any.
INSERT { GRAPH <graph/derived> { ?inspection ofsted:latestFrom ?from } }
WHERE {
  {
    SELECT ?inspection (MIN(?issued) AS ?from) WHERE {
      GRAPH ?report { ?inspection ofsted:framework ?framework ; ofsted:describedIn ?document ;
                                  ofsted:inspectionKind ?kind ; ofsted:judgement ?judgement . }
      FILTER (?kind IN (kind:inspection, kind:reinspection))
      GRAPH ?described { ?document dcterms:issued ?issued }
      GRAPH ?vocabulary { ?framework skos:notation ?fw }
      FILTER (?fw IN ("ilacs", "sif"))
    }
    GROUP BY ?inspection
  }
} ;

INSERT { GRAPH <graph/derived> { ?inspection ofsted:supersededOn ?until } }
WHERE {
  {
    SELECT ?inspection (MIN(?later_from) AS ?until) WHERE {
      GRAPH <graph/derived> { ?inspection ofsted:latestFrom ?from . ?later ofsted:latestFrom ?later_from . }
      GRAPH ?r1 { ?inspection ofsted:authority ?authority ; ofsted:endDate ?end . }
      GRAPH ?r2 { ?later ofsted:authority ?authority ; ofsted:endDate ?later_end . }
      FILTER (?later_end > ?end)
    }
    GROUP BY ?inspection
  }
}
