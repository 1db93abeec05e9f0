"""An authority's grade history as an inline SVG drawn on the server (no JavaScript).

Time runs along the x-axis (publication date, else start date); each judgement area's
grade sits on an ordinal y-axis by the grade's rank (outstanding at the top). Every
point is a link to its inspection's page and names itself for screen readers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape

from ofsted_kg.vocabulary import grade_words

WIDTH, HEIGHT = 760, 250
LEFT, RIGHT, TOP, BOTTOM = 190, 20, 20, 40
# Each rank of today's (ILACS) scale by its shortest label: grade_words gives the longest first.
RANK_LABELS = dict(sorted({rank: label for label, _, rank in grade_words("ilacs", hidden=False) if rank}.items()))
# Colours that keep 3:1 contrast against white (WCAG non-text contrast).
PALETTE = ("#1d4ed8", "#b45309", "#047857", "#7e22ce", "#be123c", "#0f766e", "#4d7c0f", "#9a3412", "#374151",
           "#1e3a8a")


@dataclass(frozen=True)
class Point:
    when: date
    framework: str
    area: str
    area_label: str
    grade: str
    rank: int
    href: str


def points_from(rows: list[dict[str, str | None]], link: dict[str, str]) -> list[Point]:
    points = []
    for row in rows:
        day = row.get("publication_date") or row.get("start_date")
        if not day or not row.get("rank") or not row.get("inspection"):
            continue
        points.append(Point(date.fromisoformat(day), str(row["framework"]), str(row["area"]),
                            str(row["area_label"]), str(row["grade"]), int(str(row["rank"])),
                            link.get(str(row["inspection"]), "#")))
    return points


def grade_chart(points: list[Point], title: str) -> str:
    """The SVG markup; an empty string when there is nothing graded to draw."""
    if not points:
        return ""
    first, last = min(p.when.year for p in points), max(p.when.year for p in points) + 1
    span = max((date(last, 1, 1) - date(first, 1, 1)).days, 1)
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        return LEFT + plot_width * (day - date(first, 1, 1)).days / span

    def y(rank: int) -> float:
        return TOP + plot_height * (rank - 1) / 3

    areas = sorted({p.area for p in points}, key=lambda a: (a != "overall-effectiveness", a))
    colour = {area: PALETTE[i % len(PALETTE)] for i, area in enumerate(areas)}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="grade-chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'role="group" aria-label="{escape(title)}">', f"<title>{escape(title)}</title>"]
    for rank, label in RANK_LABELS.items():
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(rank):.1f}" y2="{y(rank):.1f}" '
                     'class="grid"/>')
        parts.append(f'<text x="{LEFT - 8}" y="{y(rank) + 4:.1f}" text-anchor="end" class="axis">{label}</text>')
    for year in range(first, last + 1):
        position = x(date(year, 1, 1))
        parts.append(f'<line x1="{position:.1f}" x2="{position:.1f}" y1="{TOP}" y2="{HEIGHT - BOTTOM}" '
                     'class="grid"/>')
        parts.append(f'<text x="{position:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" '
                     f'class="axis">{year}</text>')
    overall = sorted((p for p in points if p.area == "overall-effectiveness"), key=lambda p: p.when)
    if len(overall) > 1:
        path = " ".join(f"{x(p.when):.1f},{y(p.rank):.1f}" for p in overall)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour["overall-effectiveness"]}" '
                     'stroke-width="2"/>')
    for point in sorted(points, key=lambda p: (p.when, areas.index(p.area))):
        offset = areas.index(point.area) * 4  # areas graded alike on one day stay apart
        radius = 7 if point.area == "overall-effectiveness" else 4
        label = (f"{point.when.year} {point.framework.upper()} {point.area_label}: {point.grade.replace('-', ' ')}"
                 f" (published {point.when.isoformat()})")
        parts.append(
            f'<a href="{escape(point.href)}" class="point" aria-label="{escape(label)}" '
            f'data-year="{point.when.year}" data-date="{point.when.isoformat()}" '
            f'data-framework="{escape(point.framework)}" data-area="{escape(point.area)}" '
            f'data-grade="{escape(point.grade)}">'
            f'<circle cx="{x(point.when) + offset:.1f}" cy="{y(point.rank):.1f}" r="{radius}" '
            f'fill="{colour[point.area]}"><title>{escape(label)}</title></circle></a>')
    parts.append("</svg>")
    legend = "".join(
        f'<li><span class="swatch" style="background:{colour[area]}"></span>'
        f"{escape(next(p.area_label for p in points if p.area == area))}</li>" for area in areas)
    return "".join(parts) + f'<ul class="legend">{legend}</ul>'
