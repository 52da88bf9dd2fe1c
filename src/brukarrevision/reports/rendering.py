"""Drawing the one report model as HTML, PDF (tagged, PDF/UA-1, language set) and DOCX (real
headings, styles and tables; charts as PNG with their text alternative)."""

import hashlib
import io
from collections import OrderedDict

from django.template.loader import render_to_string
from docx import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

from brukarrevision.lib import charts

from .document import Document, Table

WORD_LANGUAGE = {"sv": "sv-SE", "en": "en-GB"}


def html(document: Document) -> str:
    return render_to_string("reports/document.html", {"document": document})


def page(document: Document) -> str:
    """The report as an article for the public page (headings start at level 3)."""
    return render_to_string("reports/includes/public_report.html", {"document": document})


# The same document draws to the same file: the last few are kept per process, so that
# publishing right after a preview, or the demo loaded again, does not draw them twice.
_DRAWN: OrderedDict[tuple[str, str], bytes] = OrderedDict()
_KEEP = 8


def _remembered(kind: str, document: Document, draw) -> bytes:
    key = (kind, hashlib.sha256(html(document).encode()).hexdigest())
    if key in _DRAWN:
        _DRAWN.move_to_end(key)
        return _DRAWN[key]
    drawn = _DRAWN[key] = draw()
    while len(_DRAWN) > _KEEP:
        _DRAWN.popitem(last=False)
    return drawn


def pdf(document: Document) -> bytes:
    from weasyprint import HTML

    return _remembered(
        "pdf",
        document,
        lambda: HTML(string=html(document)).write_pdf(pdf_variant="pdf/ua-1"),
    )


def docx(document: Document, progress=lambda share: None) -> bytes:
    return _remembered("docx", document, lambda: _docx(document, progress))


def _docx(document: Document, progress) -> bytes:
    word = WordDocument()
    _set_language(word, WORD_LANGUAGE.get(document.language, "sv-SE"))
    word.core_properties.title = document.title
    word.core_properties.subject = document.subtitle
    word.core_properties.language = WORD_LANGUAGE.get(document.language, "sv-SE")
    word.add_heading(document.title, level=0)
    word.add_paragraph(document.subtitle, style="Subtitle")
    total = max(1, len(document.blocks))
    for index, block in enumerate(document.blocks):
        _add(word, block)
        progress(index / total)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _add(word, block) -> None:
    if block.kind == "heading":
        word.add_heading(block.text, level=block.level)
    elif block.kind == "paragraph":
        word.add_paragraph(block.text)
    elif block.kind == "bullets":
        for item in block.items:
            word.add_paragraph(item, style="List Bullet")
    elif block.kind == "quote":
        word.add_paragraph(f"”{block.text}” – {block.source}", style="Quote")
    elif block.kind == "table":
        _table(word, block)
    elif block.kind == "figure":
        _picture(word, block.chart)
        if block.table:
            _table(word, block.table)


def _table(word, table: Table) -> None:
    word.add_paragraph(table.caption, style="Caption")
    grid = word.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    for cell, text in zip(grid.rows[0].cells, table.header, strict=True):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    _repeat_header(grid.rows[0])
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = str(text)
    for note in table.notes:
        word.add_paragraph(note)


def _repeat_header(row) -> None:
    """Mark the first row as a header row: repeated on each page, read as headers."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _picture(word, chart: charts.Chart) -> None:
    word.add_picture(io.BytesIO(charts.png(chart)), width=Cm(16))
    drawing = word.paragraphs[-1].runs[-1]._r.xpath(".//wp:docPr")
    if drawing:
        drawing[0].set("descr", chart.text)  # the text alternative screen readers read
        drawing[0].set("title", "")


def _set_language(word, code: str) -> None:
    defaults = word.styles.element.find(qn("w:docDefaults"))
    run = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = run.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        run.append(language)
    language.set(qn("w:val"), code)
    language.set(qn("w:eastAsia"), code)
