"""The one chart module: accessible SVG for pages and documents, PNG from the same SVG.

Rating scales are drawn as diverging stacked bars (negative steps left of the centre line,
positive right, a middle step split across it); choices as plain bars. Each chart carries a
title and a text alternative; pages and documents show its data table beside it. Withheld
(suppressed) groups get no bar, only the words saying so.
"""

from dataclasses import dataclass
from html import escape

WIDTH = 640
LABEL_WIDTH = 200
ROW_HEIGHT = 30
TOP = 10
# Brown–teal diverging colours, distinguishable with the common colour vision deficiencies.
SCALE_COLOURS = {
    4: ["#8c510a", "#d8b365", "#5ab4ac", "#01665e"],
    5: ["#8c510a", "#d8b365", "#e0e0e0", "#5ab4ac", "#01665e"],
}
BAR_COLOUR = "#01665e"
TEXT_ON = {"#8c510a": "#ffffff", "#01665e": "#ffffff"}


@dataclass(frozen=True)
class Chart:
    svg: str
    text: str  # the text alternative, also used as the SVG's description


def _attrs(attrs: dict) -> str:
    return " ".join(f'{name.replace("_", "-")}="{value}"' for name, value in attrs.items())


def _rect(x: float, y: float, width: float, height: float, fill: str, **extra) -> str:
    size = f'x="{x:.1f}" y="{y}" width="{width:.1f}" height="{height}"'
    return f'<rect {size} fill="{fill}" {_attrs(extra)}/>'


def _text(x: float, y: float, content: str, **attrs) -> str:
    attrs.setdefault("fill", "#1a1a1a")
    return f'<text x="{x:.1f}" y="{y}" {_attrs(attrs)}>{escape(content)}</text>'


def _middle(y: int) -> float:
    return y + ROW_HEIGHT / 2 + 4


def _svg(height: int, title: str, text: str, body: list[str], ident: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" '
        f'font-family="DejaVu Sans, Arial, sans-serif" font-size="13">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(text)}</desc>' + "".join(body) + "</svg>"
    )


def _label(y: int, label: str) -> str:
    short = label if len(label) <= 28 else label[:27] + "…"
    return _text(LABEL_WIDTH - 8, _middle(y), short, text_anchor="end")


def rating(
    title: str,
    steps: list[str],
    rows: list[tuple[str, list[int] | None]],
    withheld: str,
    ident: str,
) -> Chart:
    """`rows`: (group label, counts per scale step) or (label, None) for a withheld group."""
    colours = SCALE_COLOURS.get(len(steps)) or SCALE_COLOURS[5][: len(steps)]
    area = WIDTH - LABEL_WIDTH - 20
    centre = LABEL_WIDTH + area / 2
    body, described = [], []
    for index, (label, counts) in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        body.append(_label(y, label))
        if counts is None or not sum(counts):
            note = withheld if counts is None else "–"
            body.append(_text(LABEL_WIDTH, _middle(y), note))
            described.append(f"{label}: {note}")
            continue
        shares = [n / sum(counts) for n in counts]
        body += _diverging_row(shares, colours, y, centre, area)
        steps_text = ", ".join(
            f"{step} {round(100 * share)} %" for step, share in zip(steps, shares, strict=True)
        )
        described.append(f"{label}: {steps_text}")
    height = TOP + len(rows) * ROW_HEIGHT + 10
    body.append(
        f'<line x1="{centre}" x2="{centre}" y1="{TOP - 4}" y2="{height - 8}" stroke="#1a1a1a"/>'
    )
    legend, height = _legend(steps, colours, height)
    text = "; ".join(described)
    return Chart(_svg(height, title, text, body + legend, ident), text)


def _diverging_row(shares, colours, y, centre, area) -> list[str]:
    steps = len(shares)
    half = steps // 2
    negative = sum(shares[:half]) + (shares[half] / 2 if steps % 2 else 0)
    x = centre - negative * area / 2
    parts = []
    for share, colour in zip(shares, colours, strict=True):
        width = share * area / 2
        if width > 0:
            parts.append(_rect(x, y + 4, width, ROW_HEIGHT - 8, colour))
            if share >= 0.12:
                on = TEXT_ON.get(colour, "#1a1a1a")
                parts.append(
                    _text(
                        x + width / 2,
                        _middle(y),
                        str(round(100 * share)),
                        text_anchor="middle",
                        fill=on,
                        font_size=11,
                    )
                )
        x += width
    return parts


def _legend(steps, colours, top) -> tuple[list[str], int]:
    parts, x, y = [], LABEL_WIDTH, top + 4
    for step, colour in zip(steps, colours, strict=True):
        text = step if len(step) <= 22 else step[:21] + "…"
        width = 26 + 7 * len(text)
        if x + width > WIDTH:
            x, y = LABEL_WIDTH, y + 20
        parts.append(_rect(x, y, 12, 12, colour, stroke="#1a1a1a", stroke_width=0.5))
        parts.append(_text(x + 16, y + 11, text, font_size=11))
        x += width
    return parts, y + 24


def bars(title: str, rows: list[tuple[str, float | None]], withheld: str, ident: str) -> Chart:
    """`rows`: (answer label, percent) or (label, None) when withheld."""
    area = WIDTH - LABEL_WIDTH - 60
    body, described = [], []
    for index, (label, percent) in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        body.append(_label(y, label))
        if percent is None:
            body.append(_text(LABEL_WIDTH, _middle(y), withheld))
            described.append(f"{label}: {withheld}")
            continue
        width = area * percent / 100
        body.append(_rect(LABEL_WIDTH, y + 4, width, ROW_HEIGHT - 8, BAR_COLOUR))
        body.append(_text(LABEL_WIDTH + width + 6, _middle(y), f"{round(percent)} %"))
        described.append(f"{label}: {round(percent)} %")
    height = TOP + len(rows) * ROW_HEIGHT + 10
    text = "; ".join(described)
    return Chart(_svg(height, title, text, body, ident), text)


def png(chart: Chart, scale: float = 2.0) -> bytes:
    """The same chart as PNG, for documents that cannot hold SVG."""
    import cairosvg

    return cairosvg.svg2png(bytestring=chart.svg.encode(), scale=scale)
