"""The one chart module: accessible SVG for pages and documents, PNG from the same SVG.

Rating scales are drawn as diverging stacked bars (negative steps left of the centre line,
positive right, a middle step split across it); choices as plain bars. Each chart carries a
title and a text alternative; pages and documents show its data table beside it. Withheld
(suppressed) groups get no bar, only the words saying so.

Charts are sized to their content: long labels wrap onto up to three lines instead of being
cut, each row is as tall as its label, and the height follows the number of rows. Documents
ask for a narrower chart and a label column fitted to the labels (`label_width_for`).
"""

from dataclasses import dataclass
from html import escape

WIDTH = 640
LABEL_WIDTH = 200
ROW_HEIGHT = 30
LINE_HEIGHT = 15
TOP = 10
CHAR_WIDTH = 7.2  # average width of a character at font size 13, in the chart's units
MAX_LINES = 3
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
    width: int = WIDTH  # in CSS pixels (1/96 inch)
    height: int = 0


def label_width_for(labels: list[str], most: int = LABEL_WIDTH, least: int = 24) -> int:
    """A label column just wide enough for `labels` (long ones wrap), between least and most."""
    longest = max((len(label) for label in labels), default=0)
    return int(max(least, min(most, longest * CHAR_WIDTH + 12)))


def _attrs(attrs: dict) -> str:
    return " ".join(f'{name.replace("_", "-")}="{value}"' for name, value in attrs.items())


def _rect(x: float, y: float, width: float, height: float, fill: str, **extra) -> str:
    size = f'x="{x:.1f}" y="{y}" width="{width:.1f}" height="{height}"'
    return f'<rect {size} fill="{fill}" {_attrs(extra)}/>'


def _text(x: float, y: float, content: str, **attrs) -> str:
    attrs.setdefault("fill", "#1a1a1a")
    return f'<text x="{x:.1f}" y="{y}" {_attrs(attrs)}>{escape(content)}</text>'


def _svg(width: int, height: int, title: str, text: str, body: list[str], ident: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" '
        f'font-family="DejaVu Sans, Arial, sans-serif" font-size="13">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(text)}</desc>' + "".join(body) + "</svg>"
    )


def wrap(label: str, chars: int, lines: int = MAX_LINES) -> list[str]:
    """`label` in lines of at most `chars` characters, broken between words; the last line
    ends in … only when even `lines` lines cannot hold it."""
    chars = max(4, chars)
    found: list[str] = []
    for word in label.split():
        if found and len(found[-1]) + 1 + len(word) <= chars:
            found[-1] += " " + word
        else:
            found.append(word)
    if len(found) > lines:
        found = found[: lines - 1] + [" ".join(found[lines - 1 :])]
    return [line if len(line) <= chars else line[: chars - 1] + "…" for line in found] or [""]


@dataclass
class _Row:
    y: int
    height: int
    lines: list[str]

    @property
    def middle(self) -> float:
        return self.y + self.height / 2 + 4


def _layout(labels: list[str], label_width: int, row_height: int) -> tuple[list[_Row], int]:
    rows, y = [], TOP
    chars = int((label_width - 8) / CHAR_WIDTH)
    for label in labels:
        lines = wrap(label, chars) if label_width else []
        height = max(row_height, len(lines) * LINE_HEIGHT + 8)
        rows.append(_Row(y, height, lines))
        y += height
    return rows, y


def _label(row: _Row, label_width: int) -> list[str]:
    first = row.middle - (len(row.lines) - 1) * LINE_HEIGHT / 2
    return [
        _text(label_width - 8, round(first + index * LINE_HEIGHT, 1), line, text_anchor="end")
        for index, line in enumerate(row.lines)
    ]


def rating(
    title: str,
    steps: list[str],
    rows: list[tuple[str, list[int] | None]],
    withheld: str,
    ident: str,
    *,
    width: int = WIDTH,
    label_width: int = LABEL_WIDTH,
    row_height: int = ROW_HEIGHT,
) -> Chart:
    """`rows`: (group label, counts per scale step) or (label, None) for a withheld group."""
    colours = SCALE_COLOURS.get(len(steps)) or SCALE_COLOURS[5][: len(steps)]
    area = width - label_width - 20
    centre = label_width + area / 2
    laid, bottom = _layout([label for label, _counts in rows], label_width, row_height)
    body, described = [], []
    for row, (label, counts) in zip(laid, rows, strict=True):
        body += _label(row, label_width)
        if counts is None or not sum(counts):
            note = withheld if counts is None else "–"
            body.append(_text(label_width, row.middle, note))
            described.append(f"{label}: {note}")
            continue
        shares = [n / sum(counts) for n in counts]
        body += _diverging_row(shares, colours, row, centre, area)
        steps_text = ", ".join(
            f"{step} {round(100 * share)} %" for step, share in zip(steps, shares, strict=True)
        )
        described.append(f"{label}: {steps_text}")
    height = bottom + 10
    body.append(
        f'<line x1="{centre}" x2="{centre}" y1="{TOP - 4}" y2="{height - 8}" stroke="#1a1a1a"/>'
    )
    legend, height = _legend(steps, colours, height, label_width, width)
    text = "; ".join(described)
    return Chart(_svg(width, height, title, text, body + legend, ident), text, width, height)


def _diverging_row(shares, colours, row: _Row, centre, area) -> list[str]:
    steps = len(shares)
    half = steps // 2
    negative = sum(shares[:half]) + (shares[half] / 2 if steps % 2 else 0)
    x = centre - negative * area / 2
    bar = min(row.height - 8, ROW_HEIGHT - 8)
    top = round(row.y + (row.height - bar) / 2, 1)
    parts = []
    for share, colour in zip(shares, colours, strict=True):
        width = share * area / 2
        if width > 0:
            parts.append(_rect(x, top, width, bar, colour))
            if width >= 22:
                on = TEXT_ON.get(colour, "#1a1a1a")
                parts.append(
                    _text(
                        x + width / 2,
                        row.middle,
                        str(round(100 * share)),
                        text_anchor="middle",
                        fill=on,
                        font_size=11,
                    )
                )
        x += width
    return parts


def _legend(steps, colours, top, label_width=LABEL_WIDTH, width=WIDTH) -> tuple[list[str], int]:
    start = label_width if width - label_width >= 240 else 8
    parts, x, y = [], start, top + 4
    for step, colour in zip(steps, colours, strict=True):
        text = step if len(step) <= 22 else step[:21] + "…"
        item = 26 + 7 * len(text)
        if x + item > width and x > start:
            x, y = start, y + 20
        parts.append(_rect(x, y, 12, 12, colour, stroke="#1a1a1a", stroke_width=0.5))
        parts.append(_text(x + 16, y + 11, text, font_size=11))
        x += item
    return parts, y + 24


def bars(
    title: str,
    rows: list[tuple[str, float | None]],
    withheld: str,
    ident: str,
    *,
    width: int = WIDTH,
    label_width: int = LABEL_WIDTH,
    row_height: int = ROW_HEIGHT,
) -> Chart:
    """`rows`: (answer label, percent) or (label, None) when withheld."""
    area = width - label_width - 60
    laid, bottom = _layout([label for label, _percent in rows], label_width, row_height)
    bar = min(row_height, ROW_HEIGHT) - 8
    body, described = [], []
    for row, (label, percent) in zip(laid, rows, strict=True):
        body += _label(row, label_width)
        if percent is None:
            body.append(_text(label_width, row.middle, withheld))
            described.append(f"{label}: {withheld}")
            continue
        top = round(row.y + (row.height - bar) / 2, 1)
        length = area * percent / 100
        body.append(_rect(label_width, top, length, bar, BAR_COLOUR))
        body.append(_text(label_width + length + 6, row.middle, f"{round(percent)} %"))
        described.append(f"{label}: {round(percent)} %")
    height = bottom + 10
    text = "; ".join(described)
    return Chart(_svg(width, height, title, text, body, ident), text, width, height)


def png(chart: Chart, scale: float = 2.0) -> bytes:
    """The same chart as PNG, for documents that cannot hold SVG."""
    import cairosvg

    return cairosvg.svg2png(bytestring=chart.svg.encode(), scale=scale)
