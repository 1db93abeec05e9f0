"""Claims in news articles and press releases about inspections: rules, no guessing.

A grade is claimed only where a sentence states it: between quotation marks or
after a rating verb ('rated good', 'is good'). A sentence that names a judgement area
claims that area's grade; otherwise the grade is the overall one. A grade 'from ...
in 2013' is an earlier inspection's. The authority is the one the sentence names, else
the one the text was last about; a headline that rates 'two councils' rates each of the
two the article names. Reader comments (after 'N Responses to', 'Comments') are not
part of the article. Lists and 'However...' sentences become findings, with services
and polarity as in reports; 'recommends' and 'needs to improve' sentences become
recommendations.
"""

from __future__ import annotations

import re

from ofsted_kg.extract.authority import find_authorities
from ofsted_kg.extract.dates import date_in
from ofsted_kg.extract.grades import grade_notation
from ofsted_kg.extract.polarity import polarity
from ofsted_kg.extract.services import tag_services
from ofsted_kg.extract.text import collapse
from ofsted_kg.facts import Article, Authority, Document, Finding, GradeClaim, Recommendation
from ofsted_kg.vocabulary import area_labels, grade_pattern, phrases

_GRADE = grade_pattern(ranked=True, hidden=False)
_QUOTED = re.compile(rf"['\u2018\"\u201c]({_GRADE})['\u2019\"\u201d]", re.I)
_REQUIRES = re.compile(r"\b(requires?\s+improvement\s+to\s+be\s+good)\b", re.I)
_STATED = re.compile(
    rf"\b(?:rated|rates|rating\s+of|judged(?:\s+to\s+be)?|graded|is|was|were|are|as|remains?|remained)\s+"
    rf"({_GRADE})(?=\s*(?:[.,;:!]|$|\bfor\b|\boverall\b|\bby\b|\bin\b|\band\b))", re.I)
_OPEN, _CLOSE = "['\u2018\"\u201c]?", "['\u2019\"\u201d]?"
_EARLIER = re.compile(
    rf"\bfrom\s+(?:an?\s+)?{_OPEN}({_GRADE}){_CLOSE}\s+(?:rating\s+)?in\s+((?:19|20)\d\d)", re.I)
_MAINTAINED = re.compile(
    rf"\b(?:maintained|kept|retained)\s+its\s+{_OPEN}({_GRADE}){_CLOSE}\s+rating\s+(?:from|since)\s+"
    r"((?:19|20)\d\d)", re.I)
_COUNT = re.compile(r"\b(two|three|four|five|\d)\s+(?:councils|authorities|local authorities|boroughs)\b", re.I)
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5}
_ADOPTION = phrases(dict(area_labels("sif"))["adoption-performance"])
_AREAS = [  # (pattern, area notation); the first that matches a sentence wins
    (r"help and protection", "help-and-protection"),
    (r"children in care and care leavers", "children-in-care-and-care-leavers"),
    (r"looked after and achieving permanence|children looked after", "looked-after-and-permanence"),
    (r"impact of leaders", "impact-of-leaders"),
    (r"leadership,? management and governance", "leadership-management-governance"),
    (_ADOPTION, "adoption-performance"),
    (r"care leavers", "care-leavers"),
    (r"children in care", "children-in-care"),
    (r"local safeguarding children board|\bLSCB\b", "lscb"),
    (r"overall effectiveness", "overall-effectiveness"),
]
_AREA_PATTERNS = [(re.compile(p, re.I), a) for p, a in _AREAS]
_ILACS_WORDS = re.compile(
    r"impact of leaders|children in care and care leavers|children['\u2019]s social care services", re.I)
_SIF_WORDS = re.compile(rf"achieving permanence|Local Safeguarding Children Board|{_ADOPTION}", re.I)
_END_OF_ARTICLE = re.compile(
    r"^\s*(?:\d+\s+Responses?\s+to\b|Comments?\b|Leave a (?:Reply|comment)|More from\b)", re.I | re.M)
# Page furniture: an address with a postcode, a telephone number, a site credit.
_FURNITURE = re.compile(
    r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b|\bTel:|\u00a9|website design|market research")
_COMMENT_DATE = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|November|"
                           r"December)\s+(\d{1,2}),\s+((?:19|20)\d\d)")
_OFSTED = re.compile(r"\bOfsted\b|\binspect(?:ion|ors?|ed)\b", re.I)
_RECOMMEND = re.compile(
    r"\brecommend|\bneeds?\s+to\s+improve|\bneeded\s+to\s+improve|\brequired\s+improvement|"
    r"\bshould\s+(?:be\s+)?(?:better|improve)|\bneeds addressing", re.I)
_PREVIOUS = re.compile(r"\b(?:previous|last|earlier)\s+inspection\s+in\s+((?:19|20)\d\d)", re.I)


def _sentences(text: str) -> list[str]:
    """Lines, split further at sentence ends; list items keep their leading dash."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        out.extend(s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\u201c\"'])", line) if s.strip())
    return out


def extract_article(document: Document) -> Article:
    full = document.pages[0]
    end = _END_OF_ARTICLE.search(full)
    body, rest = (full[: end.start()], full[end.start():]) if end else (full, "")
    body = "\n".join(line for line in body.splitlines() if not _FURNITURE.search(line))
    lines = [line for line in body.splitlines() if line.strip()]
    title = collapse(lines[0]) if lines else ""
    # A malformed comment date is no claim; most articles state no date.
    comment_dates = [found for month, day, year in _COMMENT_DATE.findall(rest)
                     if (found := date_in(f"{day} {month} {year}"))]
    stated = date_in(body)
    named = [a for a, _ in find_authorities(body)]
    article = Article(document.file_name, document.sha256, title, stated,
                      min(comment_dates) if comment_dates else None, named)
    article.about_ofsted = bool(_OFSTED.search(body))
    if not named or not article.about_ofsted:
        return article
    if _ILACS_WORDS.search(body) and not _SIF_WORDS.search(body):
        article.framework = "ilacs"
    elif _SIF_WORDS.search(body) and not _ILACS_WORDS.search(body):
        article.framework = "sif"
    article.mentioned_years = tuple(sorted({int(y) for y in _PREVIOUS.findall(body)}))

    claims: dict[tuple, GradeClaim] = {}  # the first claim of each authority, area and year counts

    def claim(authority: Authority, area: str, grade: str, sentence: str, year: int | None = None) -> None:
        found = GradeClaim(authority.ofsted_urn, area, grade, earlier=year is not None, year=year,
                           sentence=collapse(sentence))
        claims.setdefault((found.authority_urn, area, year), found)

    current = named[0] if len(named) == 1 else None
    for index, sentence in enumerate(_sentences(body)):
        here = [a for a, _ in find_authorities(sentence)]
        if here:
            current = here[-1]
        targets = here[:1] or ([current] if current else [])
        count = _COUNT.search(sentence)
        if count and not here:
            wanted = _NUMBERS.get(count.group(1).lower()) or int(count.group(1))
            targets = named if wanted == len(named) else []
        earlier_spans = []
        for pattern, also_current in ((_EARLIER, False), (_MAINTAINED, True)):
            for match in pattern.finditer(sentence):
                earlier_spans.append(match.span())
                grade = grade_notation(match.group(1))
                for authority in targets:
                    claim(authority, "overall-effectiveness", grade, sentence, int(match.group(2)))
                    if also_current:
                        claim(authority, "overall-effectiveness", grade, sentence)
        grades = [m for p in (_QUOTED, _STATED, _REQUIRES) for m in p.finditer(sentence)
                  if not any(a <= m.start() < b for a, b in earlier_spans)]
        if grades:
            area = next((a for p, a in _AREA_PATTERNS if p.search(sentence)), "overall-effectiveness")
            for authority in targets:
                claim(authority, area, grade_notation(grades[0].group(1)), sentence)
        # What the article lists as strengths and weaknesses, and what it says must improve.
        text = collapse(sentence.lstrip("-\u2022* "))
        if index == 0 or not targets or grades:
            continue
        if _RECOMMEND.search(sentence):
            order = len(article.recommendations) + 1
            article.recommendations.append((targets[0].ofsted_urn, Recommendation(
                order, text, 1, tuple(tag_services(text)))))
        elif sentence.lstrip().startswith(("-", "\u2022", "*")) or re.match(r"(?i)however|while|whilst", text):
            judged = polarity(text)
            article.findings.append((targets[0].ofsted_urn, Finding(
                "findings", None, text, 1, None, judged.value, judged.cues, tuple(tag_services(text)))))
    article.claims = list(claims.values())
    return article
