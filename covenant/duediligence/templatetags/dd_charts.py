"""Server-side SVG chart of the assessment outcomes per year (ADR 0005): one 100% stacked bar
per reporting year, a suppressed year drawn as an empty bar marked "–"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()

# Fully compliant, on track, not meeting (and any further category): dark to light.
FILLS = ("#1f6f43", "#7fb069", "#d9a441", "#b5b5b5", "#8c8c8c")


@register.simple_tag
def outcome_chart(years: Sequence) -> SafeString:
    """Share of companies per outcome category, per year (YearAggregate rows)."""
    width, bar_h, gap, left, top = 640, 28, 14, 56, 8
    height = top + len(years) * (bar_h + gap) + 28
    plot_w = width - left - 12
    title = _("Outcome of the assessments per year")
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    names: list[str] = []
    for i, year in enumerate(years):
        y = top + i * (bar_h + gap)
        parts.append(
            f'<text class="axis" x="{left - 8}" y="{y + bar_h / 2 + 4:.1f}" '
            f'text-anchor="end">{year.year}</text>'
        )
        x = float(left)
        shown = [o for o in year.outcomes if o.percent is not None]
        if not year.publishable or not shown:
            parts.append(
                f'<rect x="{left}" y="{y}" width="{plot_w}" height="{bar_h}" fill="none" '
                f'stroke="#b5b5b5"/><text class="suppressed" x="{left + plot_w / 2:.1f}" '
                f'y="{y + bar_h / 2 + 4:.1f}" text-anchor="middle">–</text>'
            )
            continue
        for j, o in enumerate(year.outcomes):
            if o.name not in names:
                names.append(o.name)
            if o.percent is None or o.percent == 0:
                continue
            w = plot_w * o.percent / 100
            fill = FILLS[min(j, len(FILLS) - 1)]
            label = f"{o.name} {year.year}: {o.count} ({o.percent:g}%)"
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{fill}">'
                f"<title>{escape(label)}</title></rect>"
            )
            if w > 34:
                parts.append(
                    f'<text class="value inside" x="{x + w / 2:.1f}" y="{y + bar_h / 2 + 4:.1f}" '
                    f'text-anchor="middle" fill="#fff">{o.percent:.0f}%</text>'
                )
            x += w
    for k in range(5):
        gx = left + plot_w * k / 4
        parts.append(
            f'<text class="axis" x="{gx:.1f}" y="{height - 8}" text-anchor="middle">{25 * k}%</text>'
        )
    parts.append("</svg>")
    legend = "".join(
        f'<span class="dd-key"><svg width="10" height="10" aria-hidden="true"><rect width="10" '
        f'height="10" fill="{FILLS[min(i, len(FILLS) - 1)]}"/></svg> {escape(n)}</span> '
        for i, n in enumerate(names)
    )
    # Every text that came from data went through escape() above.
    return mark_safe(  # noqa: S308
        f'<figure class="chart-figure">{"".join(parts)}<figcaption>{legend}</figcaption></figure>'
    )


@register.simple_tag
def agreement_outcome_chart(agreement: Any) -> SafeString:
    """The outcome chart of an agreement's released assessments, with a link to the figures,
    for the public agreement page; empty when nothing was released yet."""
    from django.urls import reverse

    from covenant.duediligence.selectors.aggregates import year_aggregates

    years = year_aggregates(agreement, risks=False)
    if not years:
        return mark_safe("")
    link = reverse("dd_results", args=[agreement.slug])
    heading = escape(_("Results of the assessments"))
    return mark_safe(  # noqa: S308 - the chart escapes its data; the rest is ours
        f'<section id="due-diligence-results"><h2><a href="{escape(link)}">{heading}</a></h2>'
        f"{outcome_chart(years)}</section>"
    )
