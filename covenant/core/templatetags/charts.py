"""Charts as inline SVG rendered on the server: no JavaScript, light on slow connections."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    css: str = "s1"


def bar_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    unit: str = "",
    max_value: float | None = None,
    markers: Sequence[float | None] | None = None,
    marker_name: str = "",
) -> SafeString:
    """Grouped bars per label; `None` values are drawn as 'suppressed'; optional target markers."""
    width, height, left, bottom, top = 640, 240, 44, 36, 16
    plot_h = height - bottom - top
    values = [v for s in series for v in s.values if v is not None]
    values += [m for m in (markers or []) if m is not None]
    vmax = max_value or _nice_ceiling(max(values) * 1.1 if values else 1)
    n = max(len(labels), 1)
    group_w = (width - left - 8) / n
    bar_w = max(min(group_w * 0.8 / max(len(series), 1), 48), 4)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="t" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for i in range(5):
        v = vmax * i / 4
        y = top + plot_h - plot_h * i / 4
        parts.append(f'<line class="grid" x1="{left}" x2="{width - 4}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(
            f'<text class="axis" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{v:.0f}{escape(unit)}</text>'
        )
    for gi, label in enumerate(labels):
        gx = left + gi * group_w + (group_w - bar_w * len(series)) / 2
        for si, s in enumerate(series):
            v = s.values[gi] if gi < len(s.values) else None
            x = gx + si * bar_w
            if v is None:
                parts.append(
                    f'<text class="suppressed" x="{x + bar_w / 2:.1f}" y="{top + plot_h - 4}" '
                    f'text-anchor="middle">–</text>'
                )
                continue
            h = plot_h * min(v, vmax) / vmax
            parts.append(
                f'<rect class="bar {s.css}" x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w - 2:.1f}" '
                f'height="{h:.1f}"><title>{escape(s.name)} {escape(label)}: {v:g}{escape(unit)}</title></rect>'
            )
            inside = h > 22  # the label sits inside tall bars, above short ones
            parts.append(
                f'<text class="value{" inside" if inside else ""}" x="{x + (bar_w - 2) / 2:.1f}" '
                f'y="{top + plot_h - h + (14 if inside else -4):.1f}" '
                f'text-anchor="middle">{v:g}{escape(unit)}</text>'
            )
        if markers and gi < len(markers) and markers[gi] is not None:
            m = markers[gi]
            assert m is not None
            y = top + plot_h - plot_h * min(m, vmax) / vmax
            parts.append(
                f'<line class="marker" x1="{left + gi * group_w + 2:.1f}" x2="{left + (gi + 1) * group_w - 2:.1f}" '
                f'y1="{y:.1f}" y2="{y:.1f}"><title>{escape(marker_name)} {escape(label)}: {m:g}{escape(unit)}</title></line>'
            )
        parts.append(
            f'<text class="axis" x="{left + gi * group_w + group_w / 2:.1f}" y="{height - bottom + 16}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    parts.append("</svg>")
    legend = "".join(f'<span class="key {s.css}">{escape(s.name)}</span>' for s in series)
    if markers and any(m is not None for m in markers):
        legend += f'<span class="key marker">{escape(marker_name)}</span>'
    # Every text that came from data went through escape() above.
    html = (
        f'<figure class="chart-figure">{"".join(parts)}<figcaption>{legend}</figcaption></figure>'
    )
    return mark_safe(html)  # noqa: S308


def _nice_ceiling(value: float) -> float:
    """The smallest 4 x (1, 2, 2.5 or 5 x 10^k) at or above `value`, so the four grid lines are round."""
    if value <= 0:
        return 4
    magnitude = 10 ** math.floor(math.log10(value / 4))
    for step in (1, 2, 2.5, 5, 10):
        if 4 * step * magnitude >= value:
            return 4 * step * magnitude
    return 40 * magnitude


@register.simple_tag
def coverage_chart(points: Sequence) -> SafeString:
    """Market coverage against target per point of a coverage_series."""
    return bar_chart(
        [p.label for p in points],
        [Series(_("Market coverage"), [p.coverage_percent for p in points], "s1")],
        title=_("Market coverage against target"),
        unit="%",
        max_value=100,
        markers=[p.target_percent for p in points],
        marker_name=_("Target"),
    )


@register.simple_tag
def membership_chart(rows: Sequence) -> SafeString:
    """Companies joining and leaving per year."""
    return bar_chart(
        [str(r.year) for r in rows],
        [
            Series(_("Joined"), [r.joined for r in rows], "s1"),
            Series(_("Left"), [r.left for r in rows], "s2"),
        ],
        title=_("Companies joining and leaving per year"),
    )
