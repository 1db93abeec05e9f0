# Link each mention of an earlier inspection in a finding ("the previous inspection in
# 2016 judged services to be good") to that Inspection when the graph has it: the same
# authority, an inspection or re-inspection that started or ended in the year the text
# gives, and started before the inspection whose report mentions it.
# Run after every build; the links live in a graph of their own, rebuilt each time.
BASE <https://w3id.org/ofsted-kg/id/>
PREFIX ofsted: <https://w3id.org/ofsted-kg/def#>

DROP SILENT GRAPH <graph/links> ;

INSERT { GRAPH <graph/links> { ?mention ofsted:refersTo ?earlier } }
WHERE {
  GRAPH ?here {
    ?finding ofsted:mentionsInspection ?mention ; ofsted:inspection ?current .
    ?mention ofsted:year ?year .
    ?current ofsted:authority ?authority ; ofsted:startDate ?start .
  }
  GRAPH ?there {
    ?earlier ofsted:authority ?authority ; ofsted:startDate ?earlier_start ; ofsted:endDate ?earlier_end ;
             ofsted:inspectionKind ?kind .
  }
  FILTER (?earlier != ?current && ?earlier_start < ?start)
  FILTER (YEAR(?earlier_start) = ?year || YEAR(?earlier_end) = ?year)
  FILTER (?kind IN (<https://w3id.org/ofsted-kg/def/kind/inspection>, <https://w3id.org/ofsted-kg/def/kind/reinspection>))
}
