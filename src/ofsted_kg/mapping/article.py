"""An article's claims as RDF: attributed to the article, apart from the official record."""

from __future__ import annotations

from ofsted_kg.facts import Article
from ofsted_kg.mapping import iris
from ofsted_kg.mapping.graph import Triples, add_services, day, integer, text
from ofsted_kg.namespaces import DCTERMS, OFSTED, PROV, RDF, concept


def article_iri(article: Article, base: str | None = None) -> str:
    """The article, which is also the name of the graph that holds its claims."""
    return iris.source(article.sha256, base)


def map_article(article: Article, base: str | None = None, stamp: str | None = None) -> Triples:
    triples = Triples()
    add = triples.add
    source = article_iri(article, base)
    add((source, RDF.type, OFSTED.Article))
    if stamp:
        add((source, OFSTED.extractedWith, text(stamp)))
    add((source, DCTERMS.title, text(article.title)))
    add((source, OFSTED.fileName, text(article.file_name)))
    add((source, OFSTED.sha256, text(article.sha256)))
    if article.date:
        add((source, DCTERMS.date, day(article.date)))
    if article.not_after:
        add((source, OFSTED.notAfter, day(article.not_after)))
    described: set[str] = set()

    def inspection(urn: str, year: int | None) -> str:
        node = iris.claimed_inspection(source, urn, year)
        if node not in described:
            described.add(node)
            add((source, OFSTED.claimedInspection, node))
            add((node, RDF.type, OFSTED.ClaimedInspection))
            add((node, OFSTED.authority, iris.authority(urn, base)))
            add((node, PROV.wasDerivedFrom, source))
            if year:
                add((node, OFSTED.year, integer(year)))
            else:
                if article.framework:
                    add((node, OFSTED.framework, concept("framework", article.framework)))
                for mentioned in article.mentioned_years:
                    mention = iris.mention(node, mentioned)
                    add((node, OFSTED.mentionsInspection, mention))
                    add((mention, RDF.type, OFSTED.InspectionMention))
                    add((mention, OFSTED.year, integer(mentioned)))
        return node

    for urn in dict.fromkeys(a.ofsted_urn for a in article.authorities):
        if any(c.authority_urn == urn for c in article.claims) or any(u == urn for u, _ in article.findings):
            inspection(urn, None)
    for claim in article.claims:
        node = inspection(claim.authority_urn, claim.year if claim.earlier else None)
        claim_node = iris.claim(node, claim.area)
        add((node, OFSTED.claim, claim_node))
        add((claim_node, RDF.type, OFSTED.GradeClaim))
        add((claim_node, OFSTED.areaNotation, text(claim.area)))
        add((claim_node, OFSTED.grade, concept("grade", claim.grade)))
        add((claim_node, OFSTED.quotedText, text(claim.sentence)))
        add((claim_node, PROV.wasDerivedFrom, source))
    used: set[str] = set()  # an article's findings are numbered in the order read
    for index, (urn, finding) in enumerate(article.findings, start=1):
        node = iris.finding(inspection(urn, None), finding.section, index, used)
        add((node, RDF.type, OFSTED.Finding))
        add((node, OFSTED.inspection, inspection(urn, None)))
        add((node, OFSTED.section, concept("section", finding.section)))
        add((node, DCTERMS.description, text(finding.text)))
        add((node, OFSTED.page, integer(1)))
        add((node, OFSTED.polarity, concept("polarity", finding.polarity)))
        add((node, OFSTED.polarityCues, text(" ".join(finding.cues))))
        add((node, PROV.wasDerivedFrom, source))
        add_services(triples, node, finding.services)
    for urn, item in article.recommendations:
        node = iris.recommendation(inspection(urn, None), item.order)
        add((node, RDF.type, OFSTED.Recommendation))
        add((node, OFSTED.inspection, inspection(urn, None)))
        add((node, OFSTED.section, concept("section", "what-needs-to-improve")))
        add((node, OFSTED.order, integer(item.order)))
        add((node, DCTERMS.description, text(item.text)))
        add((node, PROV.wasDerivedFrom, source))
        add_services(triples, node, item.services)
    return triples
