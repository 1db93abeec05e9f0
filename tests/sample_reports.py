"""Report-shaped PDFs made at test time: the sample the tests run on without ../shared.

They carry the facts of the nine real reports of Greenwich, Stockton-on-Tees and South
Gloucestershire that tests/expected/ records (authority, inspection dates, lead inspector,
framework, every grade, the number of recommendations; the publication date is printed in
SIF reports and, for ILACS, is the creation date the real PDFs carry), laid out as
ILACS and SIF reports print them: the title, dates and grade table on page 1, then "What
needs to improve?" (ILACS) or numbered recommendations (SIF), numbered findings under the
judgements' headings, the LSCB's grade and section (SIF). Every sentence is written for
these tests; no text of a real report is kept. The findings are PARAGRAPHS below and the
recommendations POOL, SUPERVISION and IRO, so that tests can state exact expected values.

SAMPLES are the nine (the ``sample_store`` fixture of tests/conftest.py); EXTRA_SAMPLES four
more for the queries the nine give no rows (the ``sample_graph`` fixture); SHEFFIELD_2023
one for an article's claim. Facts that no person read in tests/expected/ are named where
they are set.

``python -m tests.sample_reports DIR`` writes them into DIR (the corpus's folder names).
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pypdf

from .pdfs import text_pdf

_WIDTH = 88  # characters a line holds
_PAGE_LINES = 46
_GRADE = {"outstanding": "Outstanding", "good": "Good", "requires-improvement": "Requires improvement",
          "inadequate": "Inadequate"}

# Paragraphs of findings, each about one service and clearly for or against it.
PARAGRAPHS = {
    "mash-": "Contacts wait too long in the multi-agency safeguarding hub (MASH) before a manager decides "
             "what should happen, and some children are left at risk while they wait.",
    "mash+": "The multi-agency safeguarding hub (MASH) responds quickly to contacts from partner "
             "agencies. Decisions about the next step for each child are clear, well recorded and made "
             "promptly by experienced managers.",
    "early-help+": "Families who need early help are offered it at the right time. Early help workers "
                   "build trusting relationships with parents, and most families see their circumstances "
                   "improve as a result.",
    "strategy-": "Strategy meetings are not always held when they should be, and police and health "
                 "colleagues do not always attend them. As a result, some section 47 enquiries start late "
                 "and children wait too long for protection.",
    "cp+": "Child protection conferences are well attended and child protection plans are specific. "
           "Core groups meet regularly and review the progress of each plan in detail.",
    "missing-": "Return home interviews are not offered to every child who goes missing from home, and what "
                "children say in them is seldom used to help them.",
    "private-fostering+": "Private fostering arrangements are identified and assessed promptly, and the "
                          "children living in them are visited often by social workers who know them well.",
    "lado+": "The designated officer handles allegations against adults who work with children thoroughly "
             "and in good time, and gives clear advice to schools and other agencies.",
    "iro-": "Independent reviewing officers do not challenge drift in children's plans often enough, and "
            "they rarely record what they do between reviews, so delays go unnoticed.",
    "iro+": "Independent reviewing officers know their children well and challenge delay effectively. "
            "Reviews are held on time and children take part in them.",
    "fostering+": "Foster carers are well trained and well supported, and the fostering service recruits "
                  "enough carers to meet the needs of most children who come into care.",
    "adoption+": "Adoption is considered for every child who cannot return home, and children are matched "
                 "with adopters without delay. Support for adoptive families is good.",
    "placements-": "Placement stability is weak: too many older children in care move home several times a year, "
                   "and too few live near their families, friends and schools.",
    "leaving-care-": "Pathway plans for care leavers are poor: most are out of date and too general. "
                     "Personal advisers change often, and too many young people have to tell their stories "
                     "again and again.",
    "leaving-care+": "Care leavers have personal advisers who stay in touch and know them well, and who "
                     "help them to find suitable accommodation and to keep it. Pathway plans are up to date "
                     "and are written together with the young people.",
    "court+": "When children's cases go to court, Cafcass guardians and the judiciary say that the "
              "evidence social workers give is of good quality, and work before proceedings is timely.",
    "virtual-school+": "The virtual school tracks the progress of children in care closely, and personal "
                       "education plans set clear targets that help children to achieve well.",
    "health-": "Initial health assessments for children who enter care are often late, and some "
               "children wait months for their health needs to be understood.",
    "supervision-": "Social workers do not receive regular supervision. Too few records show managers' decisions, "
                    "and too little reflection on children's plans helps social workers to reduce risk.",
    "quality-assurance+": "Leaders use audit and quality assurance well to learn about the quality of "
                          "practice, and they act promptly on what they find.",
    "workforce+": "Caseloads are manageable and the workforce is stable, so most children keep the same "
                  "social worker for as long as they need one.",
    "exploitation-": "The risks to children from criminal exploitation are not always recognised early, "
                     "and plans to reduce those risks are weak.",
    "earlier": "Senior leaders have built on the findings of the previous inspection in 2016, when "
               "services were judged to be good, and they know their services well.",
    "lscb-1": "The board has a clear plan and its members hold each other to account for the safety "
              "of children in the area.",
    "lscb-2": "Multi-agency audits carried out by the board give a reliable picture of practice across "
              "partner agencies.",
    "lscb-3": "The board's training programme is well attended by staff of every partner agency.",
    "lscb-4": "Serious case reviews are completed on time and their lessons are shared widely.",
}

# Recommendations, none of which names supervision or independent reviewing officers: those
# that do are placed in the reports below where the tests expect them.
POOL = [
    "Make sure that assessments of children in need are completed in good time.",
    "Improve the quality of plans for children in need of help and protection.",
    "Offer a return home interview to every child who goes missing, and use what is learned.",
    "Strengthen the response to children at risk of criminal exploitation.",
    "Increase the number of local foster homes for older children.",
    "Make sure that health assessments for children in care take place on time.",
    "Improve the help given to care leavers to find suitable homes.",
    "Make sure that personal education plans set clear and measurable targets.",
    "Improve the timeliness of strategy meetings and the attendance of partner agencies.",
    "Make sure that the views of children are recorded and inform their plans.",
    "Improve the information given to families about early help.",
    "Strengthen the support offered to special guardians.",
    "Make sure that private fostering arrangements are identified and assessed.",
    "Improve the recording of decisions made at the front door.",
    "Reduce the number of changes of social worker that children experience.",
    "Make sure that audits lead to better practice for children.",
    "Improve the response to 16 and 17 year olds who present as homeless.",
    "Make sure that disabled children have up-to-date assessments.",
    "Strengthen the work of the designated officer with schools.",
    "Make sure that permanence is secured for children without delay.",
    "Widen the range of services for children with emotional and mental health needs.",
    "Make sure that life story work is completed for children who are adopted.",
]
SUPERVISION = {
    "greenwich-2020": "How often social workers receive supervision, and how well it is recorded.",
    "greenwich-2024": "Management oversight and supervision that consistently improve frontline practice.",
    "stockton-2016": "Make sure that supervision of social workers is regular and reflective.",
    "stockton-2019": "Records of supervision that show how decisions move children's plans forward.",
    "south-gloucestershire-2019": "Supervision that helps social workers progress children's plans without delay.",
}
IRO = {
    "greenwich-2020": "The oversight of children's plans by independent reviewing officers, between reviews too.",
    "south-gloucestershire-2017": "Make sure that the independent reviewing officer service has the capacity "
                                  "to challenge drift in children's plans.",
}


@dataclass
class Sample:
    key: str
    folder: str
    file: str
    framework: str
    title: list[str]
    place: str  # the authority as the SIF overall sentence names it
    dates: str
    start: date
    end: date
    lead: str
    grades: dict[str, str]  # area notation -> grade notation
    recommendations: list[str]
    findings: list[tuple[str, list[str]]]  # (heading, paragraph keys)
    published: date | None = None  # printed (SIF)
    metadata: date | None = None  # the PDF's creation date (ILACS print none)
    lscb: list[str] = field(default_factory=list)
    reinspection: bool = False  # SIF: a re-inspection, titled so
    header_dates: str | None = None  # ILACS: the running header's dates, where they differ from page 1's


def _recommendations(count: int, offset: int, placed: dict[int, str]) -> list[str]:
    chosen = [POOL[(offset + i) % len(POOL)] for i in range(count)]
    for order, text in placed.items():
        chosen[order - 1] = text
    return chosen


ILACS_AREAS_2018 = [
    ("impact-of-leaders", "The impact of leaders on social work practice with children and families"),
    ("help-and-protection", "The experiences and progress of children who need help and protection"),
    ("children-in-care-and-care-leavers", "The experiences and progress of children in care and care leavers"),
]
ILACS_AREAS_2023 = [
    ("impact-of-leaders", "The impact of leaders on social work practice with children and families"),
    ("help-and-protection", "The experiences and progress of children who need help and protection"),
    ("children-in-care", "The experiences and progress of children in care"),
    ("care-leavers", "The experiences and progress of care leavers"),
]
H_P = "The experiences and progress of children who need help and protection"
CIC_CL = "The experiences and progress of children in care and care leavers"
CIC = "The experiences and progress of children in care"
CL = "The experiences and progress of care leavers"
IOL = "The impact of leaders on social work practice with children and families"
LAAP = "The experiences and progress of children looked after and achieving permanence"
ADOPTION = "The graded judgement about adoption performance"
CL_SIF = "The graded judgement about the experience and progress of care leavers"
LMG = "Leadership, management and governance"


def _sif_grades(overall, hp, laap, adoption, cl, lmg, lscb):
    grades = {"overall-effectiveness": overall, "help-and-protection": hp, "looked-after-and-permanence": laap,
              "adoption-performance": adoption, "care-leavers": cl, "leadership-management-governance": lmg,
              "lscb": lscb}
    return {area: grade for area, grade in grades.items() if grade}


def _ilacs_grades(overall, iol, hp, *children):
    grades = {"overall-effectiveness": overall, "impact-of-leaders": iol, "help-and-protection": hp}
    if len(children) == 1:
        grades["children-in-care-and-care-leavers"] = children[0]
    else:
        grades["children-in-care"], grades["care-leavers"] = children
    return grades


RI = "requires-improvement"
SIF_FINDINGS = [
    (H_P, ["mash+", "strategy-", "missing-", "private-fostering+"]),
    (LAAP, ["placements-", "virtual-school+"]),
    (ADOPTION, ["adoption+"]),
    (CL_SIF, ["leaving-care-"]),
    (LMG, ["quality-assurance+"]),
]
SAMPLES = [
    Sample("greenwich-2016", "80495_greenwich", "children's services inspection - 05 august 2016.pdf", "sif",
           ["Royal Borough of Greenwich"], "Greenwich", "23 May to 16 June 2016", date(2016, 5, 23),
           date(2016, 6, 16), "Neil Penswick", _sif_grades(*["good"] * 7),
           _recommendations(12, 0, {}), SIF_FINDINGS, published=date(2016, 8, 5),
           lscb=["lscb-1", "lscb-2", "lscb-3", "lscb-4"]),
    Sample("greenwich-2020", "80495_greenwich", "children's services inspection - 27 january 2020.pdf", "ilacs",
           ["Inspection of Royal Borough of Greenwich local authority children's services"], "Greenwich",
           "9 December 2019 to 13 December 2019", date(2019, 12, 9), date(2019, 12, 13), "Andy Whippey",
           _ilacs_grades("good", "good", "good", "good"),
           [POOL[5], SUPERVISION["greenwich-2020"], POOL[6], IRO["greenwich-2020"]],
           [(H_P, ["early-help+", "mash+", "cp+"]), (CIC_CL, ["leaving-care-", "iro-", "virtual-school+"]),
            (IOL, ["earlier", "supervision-", "court+"])], metadata=date(2020, 1, 24)),
    Sample("greenwich-2024", "80495_greenwich", "children's services inspection - 16 july 2024.pdf", "ilacs",
           ["Inspection of Royal Borough of Greenwich local authority children's services"], "Greenwich",
           "3 to 7 June 2024", date(2024, 6, 3), date(2024, 6, 7), "Tom Anthony",
           _ilacs_grades("outstanding", "outstanding", "good", "outstanding", "outstanding"),
           ["How well the help offered to young carers meets their needs.", SUPERVISION["greenwich-2024"]],
           [(H_P, ["mash+", "early-help+", "lado+"]), (CIC, ["fostering+", "iro+"]), (CL, ["leaving-care+"]),
            (IOL, ["workforce+", "quality-assurance+"])], metadata=date(2024, 7, 15)),
    Sample("stockton-2016", "80563_stockton-on-tees", "children's services inspection - 05 august 2016.pdf", "sif",
           ["Stockton-on-Tees Borough Council"], "Stockton-on-Tees", "23 May to 16 June 2016", date(2016, 5, 23),
           date(2016, 6, 16), "Tracey Metcalfe", _sif_grades("good", "good", RI, RI, "outstanding", "good", RI),
           _recommendations(10, 3, {3: SUPERVISION["stockton-2016"]}), SIF_FINDINGS,
           published=date(2016, 8, 5), lscb=["lscb-1", "lscb-2", "lscb-3", "lscb-4"]),
    Sample("stockton-2019", "80563_stockton-on-tees", "children's services inspection - 01 july 2019.pdf", "ilacs",
           ["Stockton-on-Tees Borough Council", "Inspection of children's social care services"],
           "Stockton-on-Tees", "20 May 2019 to 24 May 2019", date(2019, 5, 20), date(2019, 5, 24), "Matt Reed",
           _ilacs_grades(RI, RI, RI, RI),
           _recommendations(6, 8, {6: SUPERVISION["stockton-2019"]}),
           [(H_P, ["strategy-", "missing-", "early-help+"]), (CIC_CL, ["placements-", "health-"]),
            (IOL, ["supervision-", "court+"])], metadata=date(2019, 6, 28)),
    Sample("stockton-2023", "80563_stockton-on-tees", "children's services inspection - 09 may 2023.pdf", "ilacs",
           ["Inspection of Stockton-on-Tees local authority children's services"], "Stockton-on-Tees",
           "6 to 17 March 2023", date(2023, 3, 6), date(2023, 3, 17), "Joanna Warburton",
           _ilacs_grades(RI, RI, RI, RI, RI), _recommendations(4, 12, {}),
           [(H_P, ["exploitation-", "cp+"]), (CIC, ["placements-", "fostering+"]), (CL, ["leaving-care-"]),
            (IOL, ["supervision-", "court+"])], metadata=date(2023, 5, 5)),
    Sample("south-gloucestershire-2017", "80556_south gloucestershire",
           "children's services inspection - 13 february 2017.pdf", "sif", ["South Gloucestershire Council"],
           "South Gloucestershire", "21 November to 15 December 2016", date(2016, 11, 21), date(2016, 12, 15),
           "Stephanie Murray", _sif_grades("inadequate", "inadequate", RI, "good", RI, "inadequate", "inadequate"),
           _recommendations(22, 0, {17: IRO["south-gloucestershire-2017"]}),
           [(H_P, ["strategy-", "missing-", "exploitation-", "mash+"]), (LAAP, ["placements-", "health-"]),
            (ADOPTION, ["adoption+"]), (CL_SIF, ["leaving-care-"]), (LMG, ["supervision-"])],
           published=date(2017, 2, 13), lscb=["lscb-1", "lscb-2", "lscb-3", "lscb-4"]),
    Sample("south-gloucestershire-2019", "80556_south gloucestershire",
           "children's services inspection - 08 may 2019.pdf", "ilacs",
           ["South Gloucestershire Council", "Inspection of children's social care services"],
           "South Gloucestershire", "4 March 2019 to 15 March 2019", date(2019, 3, 4), date(2019, 3, 15),
           "Emmy Tomsett", _ilacs_grades(RI, RI, RI, RI),
           _recommendations(13, 1, {9: SUPERVISION["south-gloucestershire-2019"]}),
           [(H_P, ["strategy-", "early-help+", "cp+"]), (CIC_CL, ["placements-", "leaving-care-"]),
            (IOL, ["quality-assurance+", "court+"])], metadata=date(2019, 5, 3)),
    Sample("south-gloucestershire-2024", "80556_south gloucestershire",
           "children's services inspection - 23 july 2024.pdf", "ilacs",
           ["Inspection of South Gloucestershire local authority children's services"], "South Gloucestershire",
           "3 to 14 June 2024", date(2024, 6, 3), date(2024, 6, 14), "Anna Gravelle",
           _ilacs_grades(*["good"] * 5), _recommendations(4, 15, {}),
           [(H_P, ["mash+", "cp+"]), (CIC, ["fostering+", "virtual-school+"]), (CL, ["leaving-care+"]),
            (IOL, ["workforce+"])], metadata=date(2024, 7, 22)),
]


# Four more, for the tests that need what the nine do not have (tests/test_servers.py runs
# every stored query on real servers and wants rows from each): an authority inadequate now
# whose latest report criticises its MASH and its IROs (Halton 2024), two SIF inspections of
# one authority and an inspector the queries' defaults name (Manchester 2014 and its 2017
# re-inspection), and a report stored with a problem (Somerset 2026: no overall
# effectiveness judgement, inspections from 27 April 2026 print none, and a running header
# whose dates are not page 1's). Dates, inspectors and grades are the real reports'; the
# number of recommendations is the sample's own.
EXTRA_SAMPLES = [
    Sample("manchester-2014", "80521_manchester", "children's services inspection - 03 september 2014.pdf",
           "sif", ["Manchester City Council"], "Manchester", "25 June 2014 to 16 July 2014", date(2014, 6, 25),
           date(2014, 7, 16), "Peter McEntee",
           _sif_grades("inadequate", "inadequate", RI, "inadequate", RI, "inadequate", "inadequate"),
           _recommendations(10, 5, {}), SIF_FINDINGS, published=date(2014, 9, 1),
           lscb=["lscb-1", "lscb-2", "lscb-3", "lscb-4"]),
    Sample("manchester-2017", "80521_manchester", "children's services inspection - 21 december 2017.pdf",
           "sif", ["Manchester City Council"], "Manchester", "9 October to 2 November 2017", date(2017, 10, 9),
           date(2017, 11, 2), "Brenda McLaughlin", _sif_grades(RI, RI, RI, "good", RI, "good", None),
           _recommendations(12, 7, {}), SIF_FINDINGS, published=date(2017, 12, 21), reinspection=True),
    Sample("halton-2024", "80471_halton", "children's services inspection - 12 july 2024.pdf", "ilacs",
           ["Inspection of Halton local authority children's services"], "Halton", "13 to 24 May 2024",
           date(2024, 5, 13), date(2024, 5, 24), "Lisa Summers", _ilacs_grades(*["inadequate"] * 5),
           _recommendations(12, 9, {}),
           [(H_P, ["mash-", "strategy-"]), (CIC, ["iro-", "placements-"]), (CL, ["leaving-care-"]),
            (IOL, ["supervision-", "court+"])], metadata=date(2024, 7, 11)),
    Sample("somerset-2026", "80555_somerset", "children's services inspection - 17 june 2026.pdf", "ilacs",
           ["Inspection of Somerset local authority children's services"], "Somerset", "27 April to 1 May 2026",
           date(2026, 4, 27), date(2026, 5, 1), "Alison Smale",
           {"impact-of-leaders": RI, "help-and-protection": RI, "children-in-care": RI, "care-leavers": "good"},
           _recommendations(8, 2, {}),
           [(H_P, ["early-help+", "cp+"]), (CIC, ["health-", "fostering+"]), (CL, ["leaving-care+"]),
            (IOL, ["quality-assurance+"])], metadata=date(2026, 6, 16), header_dates="17 April to 1 May 2026"),
]

# Sheffield 2023 (ILACS, children in care and care leavers graded apart), for an article
# that claims the combined area of the 2018 framework (tests/test_articles.py).
SHEFFIELD_2023 = Sample(
    "sheffield-2023", "80551_sheffield", "children's services inspection - 03 november 2023.pdf", "ilacs",
    ["Inspection of Sheffield local authority children's services"], "Sheffield", "11 to 22 September 2023",
    date(2023, 9, 11), date(2023, 9, 22), "Rachel Griffiths",
    _ilacs_grades("good", "good", "good", "outstanding", "good"), _recommendations(4, 4, {}),
    [(H_P, ["early-help+", "cp+"]), (CIC, ["fostering+", "virtual-school+"]), (CL, ["leaving-care+"]),
     (IOL, ["workforce+"])], metadata=date(2023, 11, 3))  # the date its file name gives


def _wrap(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(text, _WIDTH, initial_indent=indent, subsequent_indent="")


def _paginate(blocks: list[list[str]]) -> list[list[str]]:
    """Blocks of lines onto pages; the block ["\f"] starts a new page."""
    pages: list[list[str]] = [[]]
    for block in blocks:
        if block == ["\f"]:
            pages.append([])
            continue
        if len(pages[-1]) + len(block) > _PAGE_LINES and pages[-1]:
            pages.append([])
        pages[-1].extend(block)
    return [page for page in pages if page]


def _summary(sample: Sample) -> list[str]:
    overall = sample.grades.get("overall-effectiveness")
    said = f"are {_GRADE[overall].lower()} overall" if overall else "were inspected"
    return _wrap(f"Services for children in {sample.place} {said}. This paragraph was written for "
                 "the tests of ofsted-kg: it summarises the inspection in a few sentences, as the real "
                 "reports do under their grade table, without repeating any of their words.")


def _findings(sample: Sample, first: int, label: Callable[[str], str | None]) -> list[list[str]]:
    """The numbered paragraphs under their headings (ILACS headings end with the grade)."""
    blocks: list[list[str]] = []
    number = first
    for heading, keys in sample.findings:
        grade = sample.grades.get(label(heading), "")
        blocks.append(_wrap(f"{heading}: {_GRADE.get(grade, '').lower()}" if sample.framework == "ilacs"
                            else heading))
        for key in keys:
            blocks.append(_wrap(PARAGRAPHS[key], f"{number}. "))
            number += 1
    return blocks


_HEADING_AREA = {H_P: "help-and-protection", CIC_CL: "children-in-care-and-care-leavers", CIC: "children-in-care",
                 CL: "care-leavers", IOL: "impact-of-leaders"}


def ilacs_pages(sample: Sample) -> list[list[str]]:
    areas = ILACS_AREAS_2018 if "children-in-care-and-care-leavers" in sample.grades else ILACS_AREAS_2023
    first = [*sample.title, f"Inspection dates: {sample.dates}",
             f"Lead inspector: {sample.lead}, His Majesty's Inspector", "Judgement Grade"]
    # The 2018 layout's labels on one line each, the 2023 layout's wrapped in a narrow cell.
    width = 80 if areas is ILACS_AREAS_2018 else 36
    for area, label in areas:
        first += [*textwrap.wrap(label, width), _GRADE[sample.grades[area]]]
    if "overall-effectiveness" in sample.grades:
        first.append(f"Overall effectiveness {_GRADE[sample.grades['overall-effectiveness']]}")
    first += _summary(sample)
    blocks: list[list[str]] = [first, ["\f"], ["What needs to improve?"]]
    blocks += [_wrap(text, "\u2022 ") for text in sample.recommendations]
    findings = _findings(sample, 1, _HEADING_AREA.get)
    pages = _paginate(blocks + findings)
    header = sample.title[-1] if sample.title[-1].startswith("Inspection of ") else sample.title[0]
    dates = sample.header_dates or sample.dates
    return [pages[0]] + [[header, f"{dates} {number}", *page]
                         for number, page in enumerate(pages[1:], start=2)]


def sif_pages(sample: Sample) -> list[list[str]]:
    g = {area: _GRADE[grade] for area, grade in sample.grades.items() if grade}
    inspection = "Re-inspection" if sample.reinspection else "Inspection"
    first = [*sample.title,
             f"{inspection} of services for children in need of help and protection, children",
             "looked after and care leavers",
             *([] if sample.reinspection else
               ["and", "Review of the effectiveness of the Local Safeguarding Children Board"]),
             f"Inspection date: {sample.dates}",
             f"Report published: {sample.published.day} {sample.published:%B %Y}",
             f"Children's services in {sample.place} are {g['overall-effectiveness'].lower()}.",
             f"1. Children who need help and protection {g['help-and-protection']}",
             f"2. Children looked after and achieving permanence {g['looked-after-and-permanence']}",
             f"2.1 Adoption performance {g['adoption-performance']}",
             f"2.2 Experiences and progress of care leavers {g['care-leavers']}",
             f"3. Leadership, management and governance {g['leadership-management-governance']}"]
    blocks: list[list[str]] = [first, ["\f"], ["Executive summary"], _summary(sample), ["\f"],
                               ["Recommendations"]]
    blocks += [_wrap(text, f"{order}. ") for order, text in enumerate(sample.recommendations, start=1)]
    blocks += [["Summary for children and young people"],
               _wrap("Children and young people told inspectors what they think of the help they get. "
                     "This short summary was written for the tests.")]
    findings = _findings(sample, len(sample.recommendations) + 1, lambda heading: None)
    blocks += findings
    if sample.lscb:
        blocks += [["\f"], ["Inspection findings \u2013 the Local Safeguarding Children Board"],
                   [f"The Local Safeguarding Children Board {g['lscb'].lower()}"]]
        blocks += [_wrap(PARAGRAPHS[key], f"{number}. ") for number, key in enumerate(sample.lscb, start=1)]
    blocks += [["Information about this inspection"],
               _wrap("Inspectors met children, families, staff and partners over the weeks of the inspection."),
               [f"Lead inspector: {sample.lead}"]]
    return _paginate(blocks)


def write_sample(sample: Sample, folder: Path) -> Path:
    path = folder / sample.folder / sample.file
    path.parent.mkdir(parents=True, exist_ok=True)
    text_pdf(path, ilacs_pages(sample) if sample.framework == "ilacs" else sif_pages(sample))
    if sample.metadata:
        writer = pypdf.PdfWriter(clone_from=path)
        writer.add_metadata({"/CreationDate": f"D:{sample.metadata:%Y%m%d}120000Z"})
        writer.write(path)
    return path


def write_samples(folder: Path, samples: list[Sample] = SAMPLES) -> list[Path]:
    """The nine sample reports (or ``samples``) under ``folder``, in the corpus's authority folders."""
    return [write_sample(sample, folder) for sample in samples]


if __name__ == "__main__":
    for written in write_samples(Path(sys.argv[1]), SAMPLES + EXTRA_SAMPLES):
        print(written)
