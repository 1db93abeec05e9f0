"""The findings of a report: its numbered paragraphs, by section, with services and polarity.

Reports number their paragraphs in one run (ILACS from the first finding; SIF from the
first recommendation, with the LSCB review numbered afresh), under headings that name
the judgement each part reports on. A paragraph belongs to the last heading before it.
Recommendation lists are left out here: they are the report's recommendations.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from ofsted_kg.extract.common import Page1
from ofsted_kg.extract.furniture import clean_flow
from ofsted_kg.extract.tagging import tag_findings
from ofsted_kg.extract.text import Flow, collapse
from ofsted_kg.facts import EarlierInspection, Finding
from ofsted_kg.vocabulary import area_labels, grade_of, grade_pattern, phrases

_GRADE_WORDS = grade_pattern("ilacs", ranked=True, hidden=False)
_LABELS = {framework: dict(area_labels(framework)) for framework in ("ilacs", "sif")}


def _heading(words: str) -> str:
    """A line that starts with ``words``, its first letter a capital whatever the pattern's
    flags: a line of a sentence broken before "what needs to improve in children's lives"
    is no heading (Bolton 2023 lost no. 16 and the end of no. 15 as a recommendation)."""
    return r"^[ \t]*(?-i:(?=[A-Z]))" + words.replace(" ", r"\s+")


# "The", or a capital letter: a line of a sentence broken before "experiences and progress
# of children in care" is no heading (Cumberland 2024).
_THE = r"(?:The\s+|(?-i:(?=[A-Z])))"


def _area(framework: str, area: str, lead: str = "", tail: str = "") -> tuple[str, str]:
    """A heading that names an area by one of its labels in ``ontology/areas.ttl``, after a
    lead-in; the labels' first "The" may be left out (Lewisham 2024 heads its sections
    "Experiences and progress of children in care: good")."""
    labels = _LABELS[framework][area]
    with_the = [label[4:] for label in labels if label.startswith("The ")]
    named = "|".join(([f"{_THE}(?:{phrases(with_the)})"] if with_the else [])
                     + [phrases(label for label in labels if not label.startswith("The "))])
    return f"{_heading(lead)}(?:{named.strip('|')}){tail}", area


_BACK = "inspection-findings"

# (pattern at the start of a line, section notation); the first that matches a line wins.
_SECTIONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(pattern, re.IGNORECASE | re.MULTILINE), section) for pattern, section in [
        _area("ilacs", "help-and-protection"),
        _area("ilacs", "children-in-care-and-care-leavers"),
        _area("sif", "looked-after-and-permanence", lead="The experiences and progress of "),
        _area("ilacs", "children-in-care", tail=r"\b"),
        _area("ilacs", "care-leavers"),
        # SIF 2014-2015 head these two areas with their grade, in several wordings ("judgment",
        # "The graded judgement for care leavers is good": Halton 2015, Leeds 2015).
        (_heading("The graded judge?ment (?:about|for) (?:the experiences? and progress of )?care leavers"),
         "care-leavers"),
        _area("sif", "adoption-performance", lead="The graded judge?ment (?:for|about) "),
        (_heading("The graded judge?ment (?:about|for) adoption is"), "adoption-performance"),
        # Headings that leave words out: adoption's label then "is good", "The experience and
        # progress of care leavers requires improvement" (Gateshead 2016), "The experiences of
        # children in care: outstanding" (Manchester 2025).
        _area("sif", "adoption-performance", tail=rf"\s+(?:is\s+)?(?:{_GRADE_WORDS})[ \t]*$"),
        (_heading("The experience and progress of care leavers") + rf"\s+(?:is\s+)?(?:{_GRADE_WORDS})[ \t]*$",
         "care-leavers"),
        (_heading("The experiences of children in care") + r"[ \t]*:", "children-in-care"),
        (_heading("The experiences of care leavers") + r"[ \t]*:", "care-leavers"),
        (_heading(_THE + "impact of leaders on social work practice"), "impact-of-leaders"),
        # Also with a verb before the grade (SIF 2014: leadership's label then "are inadequate",
        # Coventry).
        _area("sif", "leadership-management-governance",
              tail=rf"[ \t]*(?:(?:are|is)\s+)?(?:{grade_pattern(ranked=True)})?[ \t]*(?:$|:)"),
        # Any dash between: Central Bedfordshire 2017 prints a box-drawing one (U+2500).
        (_heading("Inspection findings\\s*[\u2010-\u2015\u2212\u2500-]\\s*the Local Safeguarding Children Board"),
         "lscb"),
        # "The" may be left out (Waltham Forest 2015, page 38).
        (_heading("(?:The )?Local Safeguarding Children Board") + r"(?:[ \t]*\(LSCB\))?[ \t]*$", "lscb"),
        (_heading(r"Section \d: The effectiveness (?:of )?(?:the )?Local Safeguarding Children Board"), "lscb"),
        (_heading("Key strengths and weaknesses of the") + r"[ \t]+(?:LSCB|\w*SCB|Local Safeguarding)", "lscb"),
        # SIF 2014 follow the board's recommendations with "The LSCB's strengths" and "Inspection
        # judgement about the LSCB" (Manchester 2014: nos. 164-182 were read as recommendations).
        (_heading("The LSCB['\u2019]s strengths") + r"[ \t]*$", "lscb"),
        (_heading("Inspection judge?ments? about the LSCB") + r"[ \t]*$", "lscb"),
        (_heading("Executive summary") + r"[ \t]*$", "executive-summary"),
        # Early SIF reports: 'Summary of key findings', 'Summary of findings', 'Section 1: the
        # local authority - summary of findings'.
        (r"^[ \t]*(?:Section\s+1:\s+the\s+local\s+authority\s*[-\u2013]\s*)?Summary\s+of\s+(?:key\s+)?findings"
         r"[ \t]*$", "executive-summary"),
        (_heading("Summary for children and young people"), "summary-for-children"),
        (_heading("Progress since the last inspection") + r"[ \t]*$", "progress-since-last-inspection"),
        (_heading("The local authority['\u2019]s strengths") + r"|" + _heading("Local authority strengths") + r"|"
         + _heading("The local authority has the following strengths"), "strengths"),
        (_heading("(?:Recommendations|Areas for improvement)") + r"[ \t]*$", "recommendations"),
        (_heading(r"What does the (?:local authority|LSCB|\w*SCB|board) need to improve"), "recommendations"),
        (_heading("What needs to improve"), "recommendations"),
        (_heading("Priority and immediate action") + r"[ \t]*$", "recommendations"),
        (_heading("Information about (?:this|the) (?:inspection|review|local authority (?:area|inspection))"),
         "information"),
        # SIF 2015-2018: the part heading alone on its line above that information (unmarked, it
        # ended 58 executive summaries).
        (_heading("The local authority") + r"[ \t]*$", "information"),
        # Not findings: the judgements' definitions, and the head of a SIF 2014 grade table
        # ("Key Judgement / Judgement Grade") printed above each area's heading.
        (_heading("What the inspection judge?ments mean"), "information"),
        (_heading("Key Judgement Judgement Grade"), "information"),
        # SIF's sub-heading over each area's numbered findings; it goes back to that area
        # (see _back_to_areas) when a summary or recommendations came between.
        (_heading("Inspection findings") + r"[ \t]*$", _BACK),
    ]
]
# The headings of the reports before SIF (looked-after children's inspections of 2012-2013 and
# their kin): an "About this inspection" preamble with its own numbered paragraphs, then the
# findings under their areas' labels (``ontology/areas.ttl``), which name no section of the
# sections scheme, so "findings". Only for those frameworks: one of those labels also heads part
# of a SIF summary. Case counts: a line of a paragraph may start with an area's words in lower
# case (Norfolk 2013 no. 11).
_LEGACY_SECTIONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(pattern, re.MULTILINE), section) for pattern, section in [
        (_heading("About this inspection") + r"[ \t]*$", "information"),
        (_heading("The inspection judge?ments and what they mean"), "information"),
        (_heading("Service information") + r"[ \t]*$", "information"),
        (_heading("Record of main findings"), "information"),
        (_heading(f"(?:{phrases(label for _, labels in area_labels('lac') for label in labels)})") + r"[ \t]*$",
         "findings"),
    ]
]
_LEGACY = {"lac", "slac", "child-protection"}
# Lines that may start a heading; only these are tried against every pattern. Found in "\n" + the text
# (each match starts where its line does): a leading character is searched for twice as fast as ^.
_HEADING_START = re.compile(
    r"\n[ \t]*(?:The|Leadership|Executive|Summary|Recommendations|Areas|What|Information|Inspection|Local|Section"
    r"|Key|Experiences?|Impact|Priority|Progress|About|Service|Record|Overall|Capacity|Outcomes|Quality|Adoption)\b",
    re.IGNORECASE,
)
_SKIPPED = {"recommendations", "information"}
# The line that leads into SIF 2014's numbered summary ("This local authority requires
# improvement and is not yet good because"): no finding of its own; the numbers that follow are.
_LEAD_IN = re.compile(r"\bbecause:?$")
# The next heading's words in the text layer at the end of a sentence's line, before the heading
# itself ("... education or training. What needs to / improve?", Gloucestershire 2025, page 2).
_GLUED_HEADING = re.compile(r"(?<=[.!?])\s+What needs to improve\s*\??$")
# A paragraph number where a run expects its next one may also start a line before a figure
# ("100. 70% of looked after children": group 2) or follow a sentence on the same line ("... the
# child's plan. 15. Stockport has"), or print its stop twice ("46.. Most care leavers", Gloucestershire
# 2025): taken only as that next number, never to start a run.
# Two patterns that each start with a literal, not one with a look-behind: a third of the time.
_LINE_NUMBER = re.compile(r"^[^\S\n]*(\d{1,3})\.\.?(?:[^\S\n]*(?=[A-Z\u2018\u201c'\"(])|[^\S\n]+(?=(\d)))",
                          re.MULTILINE)
_INLINE_NUMBER = re.compile(r"[.!?:;)\u2019'\"][^\S\n]+(\d{1,3})\.\.?[^\S\n]*(?=[A-Z\u2018\u201c'\"(])")
_AREAS = {framework: set(areas) - {"overall-effectiveness"} for framework, areas in _LABELS.items()}
_EARLIER = re.compile(
    r"\b(?:previous|last|earlier|prior)\s+(?:(?:full|standard|short|single|ILACS|SIF|Ofsted|graded|"
    r"children's\s+services)\s+)*(?:inspection|SIF|ILACS)s?\b[^.]{0,80}?\b((?:19|20)\d\d)\b[^.]*",
    re.IGNORECASE,
)
_JUDGED = re.compile(
    r"\b(?:judged|rated|graded|found)\s+(?:\w+\s+){0,3}?(?:to\s+be\s+|as\s+)?"
    rf"({grade_pattern(ranked=True, hidden=False)})\b",
    re.IGNORECASE,
)
_GRADE_TABLE_END = re.compile(rf"Overall\s+effectiveness\s*:?\s*(?:{_GRADE_WORDS})\b", re.IGNORECASE)
# With no overall effectiveness (inspections from 27 April 2026), the table ends at its last
# grade, before the summary's first full sentence. The table's head ("Judgement Grade", its two
# cells maybe on two lines) only moves the start on: a report printed without one is read too.
_TABLE_HEAD = re.compile(r"^[ \t]*Judgements?\s+Grades?[ \t]*$", re.IGNORECASE | re.MULTILINE)
_GRADE_LINE = re.compile(rf"^[ \t]*(?:{_GRADE_WORDS})[ \t]*$", re.IGNORECASE | re.MULTILINE)
_SENTENCE_END = re.compile(r"[.!?][ \t]*$", re.MULTILINE)


def _table_end(text: str) -> int | None:
    """Where an ILACS report's judgement table ends, and its summary starts."""
    table = _GRADE_TABLE_END.search(text)
    if table:
        return table.end()
    head = _TABLE_HEAD.search(text)
    start = head.end() if head else 0
    prose = _SENTENCE_END.search(text, start)
    grades = list(_GRADE_LINE.finditer(text, start, prose.start() if prose else len(text)))
    return grades[-1].end() if grades else None


def _earlier(text: str) -> tuple[EarlierInspection, ...]:
    # Most paragraphs name none; in ASCII (whose case IGNORECASE folds alone) one that does holds these.
    if text.isascii() and ("19" not in text and "20" not in text or not any(
            word in text.lower() for word in ("previous", "last", "earlier", "prior"))):
        return ()
    found: dict[int, EarlierInspection] = {}
    for match in _EARLIER.finditer(text):
        year = int(match.group(1))
        judged = _JUDGED.search(match.group(0))
        grade = grade_of(judged.group(1)) if judged else None
        if year not in found or (grade and not found[year].grade):
            found[year] = EarlierInspection(year, grade)
    return tuple(found[y] for y in sorted(found))


def _findings(paragraphs: list[tuple[str, int | None, str, int]], framework: str) -> list[Finding]:
    """(section, number, text, page) as findings: a report's paragraphs are tagged together."""
    areas = _AREAS.get(framework, set())
    return [Finding(section, number, text, page, section if section in areas else None, judged.value, judged.cues,
                    tuple(services), _earlier(text))
            for (section, number, text, page), (services, judged)
            in zip(paragraphs, tag_findings([p[2] for p in paragraphs]), strict=True)]


def _chains(text: str) -> list[list[re.Match[str]]]:
    """Runs of paragraphs numbered n, n+1, n+2...; a '1.' starts a new run.

    One missing number is allowed: reports do skip one now and then (Windsor and
    Maidenhead 2020 goes from 14 to 16).
    """
    chains: list[list[re.Match[str]]] = []
    current: list[re.Match[str]] = []
    found = [(match, match.group(2) is None) for match in _LINE_NUMBER.finditer(text)]
    found += [(match, False) for match in _INLINE_NUMBER.finditer(text)]
    for match, usual in sorted(found, key=lambda item: item[0].start(1)):
        number = int(match.group(1))
        last = int(current[-1].group(1)) if current else -1
        if not usual:  # where a paragraph number is not usually printed: only the next one
            if number == last + 1:
                current.append(match)
        elif current and last < number <= last + 2:
            current.append(match)
        elif number == 1:
            if current:
                chains.append(current)
            current = [match]
    if current:
        chains.append(current)
    return [chain for chain in chains if len(chain) >= 4]


def _back_to_areas(headings: list[tuple[int, int, str]], areas: set[str]) -> list[tuple[int, int, str]]:
    """An "Inspection findings" heading belongs to the area heading before it (South
    Gloucestershire 2017 prints the LSCB's summary and recommendations between the two, and
    its findings were read as recommendations); with no area before it, it starts plain
    "findings" (Surrey's review of its board, August 2015, has no area heading at all).

    SIF 2014-2015 also group their summary and their areas for improvement under the areas'
    short names, of which only leadership's is also a heading of the findings: before any other
    area's findings, under the summary or recommendations, it is a sub-heading of those (Leeds
    2015's recommendations 1-15 and Surrey's of June 2015 were read as leadership's findings).
    SIF's findings put that area last."""
    kept: list[tuple[int, int, str]] = []
    area = None
    for start, end, section in headings:
        if section == _BACK:
            kept.append((start, end, area or "findings"))
            continue
        if (section == "leadership-management-governance" and area in (None, section) and kept
                and kept[-1][2] in ("recommendations", "executive-summary")):
            continue  # the summary or the recommendations go on
        area = section if section in areas else area
        kept.append((start, end, section))
    return kept


def _misplaced_recommendations(headings: list[tuple[int, int, str]], flow: Flow) -> list[tuple[int, int, str]]:
    """SIF puts an area's recommendations before its "Inspection findings". A recommendations
    heading after those findings, with no area heading between and nothing after it on its
    page, is the page's top heading that the PDF's text layer put last (Redbridge 2016 prints
    "Recommendations" at the foot of page 37's text, above nos. 123-125 at its top: the board's
    findings nos. 130-148 were read as recommendations and 123-125 as findings). It goes back to
    the top of its page; where it was, the findings go on, so the paragraph before it still ends
    there."""
    kept: list[tuple[int, int, str]] = []
    after_findings = False
    for start, end, section in headings:
        if section == _BACK or flow.text[start:end].lstrip().startswith("Inspection findings"):
            after_findings = True  # the board's heading is "Inspection findings - the Local Safeguarding..."
        elif section in _AREAS["sif"] or section in ("lscb", "executive-summary", "information"):
            after_findings = False
        elif section == "recommendations" and after_findings:
            page = flow.page_of(start)
            if not flow.text[end: flow.starts[page] if page < len(flow.starts) else len(flow.text)].strip():
                top = max(flow.starts[page - 1] - 1, 0)  # before the page's first paragraph, not at it
                kept = sorted([*kept, (top, top, section), (start, end, _BACK)])
                continue
        kept.append((start, end, section))
    return kept


_BOARDS_SUMMARY = "lscb-summary"  # a summary heading inside the board's part (see _boards_summary)


def _boards_summary(headings: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """SIF reports review the safeguarding board after the authority, and the board's part has
    a summary of its own: "Executive summary" under "The Local Safeguarding Children Board
    (LSCB)" (Norfolk 2015, page 39), the numbered "Summary of findings" under "Section 2"
    (Manchester 2014, nos. 147-153). A summary heading after a board's heading is the board's:
    its findings go to section lscb, not to a second executive summary of the authority."""
    kept, board = [], False
    for start, end, section in headings:
        board = board or section == "lscb"
        kept.append((start, end, _BOARDS_SUMMARY if board and section == "executive-summary" else section))
    return kept


def extract_findings(page1: Page1, framework: str) -> list[Finding]:
    flow = clean_flow(page1.flow)
    text = flow.text
    headings = []
    patterns = _LEGACY_SECTIONS + _SECTIONS if framework in _LEGACY else _SECTIONS
    for line in _HEADING_START.finditer("\n" + text):
        for pattern, section in patterns:
            hit = pattern.match(text, line.start())
            if hit:
                headings.append((hit.start(), hit.end(), section))
                break
    if framework == "sif":
        headings = _misplaced_recommendations(headings, flow)
    headings = _boards_summary(_back_to_areas(headings, _AREAS.get(framework, set()) | {"lscb"}))
    starts = [h[0] for h in headings]
    findings: list[tuple[str, int | None, str, int]] = []

    def section_at(offset: int) -> str:
        index = bisect_left(starts, offset)
        section = headings[index - 1][2] if index else "findings"
        return "lscb" if section == _BOARDS_SUMMARY else section

    def next_heading(offset: int) -> int:
        index = bisect_right(starts, offset)
        return starts[index] if index < len(starts) else len(text)

    # The executive summary: ILACS prints it under the grade table, SIF under its heading.
    if framework == "ilacs":
        table = _table_end(text)
        if table is not None:
            summary = _GLUED_HEADING.sub("", collapse(text[table: next_heading(table)]))
            if len(summary) > 40:
                findings.append(("executive-summary", None, summary, flow.page_of(table)))
    chains = _chains(text)
    numbered = sorted(match.start(1) for chain in chains for match in chain)
    for _start, end, section in headings:
        if section in ("executive-summary", "strengths", _BOARDS_SUMMARY):
            # Up to the next heading, or to the first numbered paragraph (which is a finding
            # of its own: SIF's summary of key findings is numbered). The reports of early 2014
            # list their strengths unnumbered, after the summary (Hillingdon 2014). Only a
            # number of the report's runs counts: a line of the summary may start with one
            # ("particularly once they reach / 16. Many looked after children", Lancashire 2015).
            stop = next_heading(end)
            index = bisect_left(numbered, end)
            body = collapse(text[end: min(stop, numbered[index]) if index < len(numbered) else stop])
            if len(body) > 40 and not _LEAD_IN.search(body):
                findings.append(("lscb" if section == _BOARDS_SUMMARY else section, None, body, flow.page_of(end)))

    for chain in chains:
        for index, match in enumerate(chain):
            section = section_at(match.start(1))
            if section in _SKIPPED:
                continue
            stop = chain[index + 1].start(1) if index + 1 < len(chain) else len(text)
            stop = min(stop, next_heading(match.start(1)), match.start(1) + 6000)
            body = collapse(text[match.end(): stop])
            if body:
                findings.append((section, int(match.group(1)), body, flow.page_of(match.start(1))))
    return _findings(findings, framework)
