"""Drawing the one report model as HTML, PDF (tagged, PDF/UA-1, language set) and DOCX (A4,
Swedish, real headings, styles and tables; a cover, a table of contents and page numbers;
charts as PNG sized to their content with their text alternative)."""

import datetime
import hashlib
import io
from collections import OrderedDict

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from brukarrevision.lib import charts

from .document import Document, Mark, Table

WORD_LANGUAGE = {"sv": "sv-SE", "en": "en-GB"}
PAGE_WIDTH, PAGE_HEIGHT = Cm(21), Cm(29.7)  # A4
MARGIN = Cm(2)
TEXT_WIDTH_CM = 21 - 2 * 2
INK = RGBColor(0x1A, 0x1A, 0x1A)
HEADING_INK = RGBColor(0x1F, 0x3A, 0x5F)  # dark blue: contrast above 10:1 on white
TOC = 'TOC \\o "1-3" \\h \\z \\u'


def html(document: Document, for_print: bool = False) -> str:
    """The report as a web page. `for_print` draws charts as images named chart:<figure>
    (resolved by `_Charts`) instead of inline SVG, which WeasyPrint lays out much faster."""
    return render_to_string("reports/document.html", {"document": document, "for_print": for_print})


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


# PDF --------------------------------------------------------------------------------------------


def pdf(document: Document) -> bytes:
    return _remembered("pdf", document, lambda: _pdf(document))


def _pdf(document: Document) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    drawn = {
        f"chart:{block.ident}": block.chart.svg.encode()
        for block in document.blocks
        if block.kind == "figure"
    }

    class Charts(URLFetcher):
        """The report's own charts, and nothing else: a PDF never fetches from elsewhere."""

        def fetch(self, url, headers=None):
            if url not in drawn:
                raise ValueError(f"Not a chart of this report: {url}")
            return URLFetcherResponse(url, drawn[url], {"Content-Type": "image/svg+xml"})

    source = HTML(string=html(document, for_print=True), url_fetcher=Charts())
    return source.write_pdf(pdf_variant="pdf/ua-1", finisher=table_structure)


def table_structure(_document, pdf) -> None:
    """What PDF/UA asks of tables and WeasyPrint 70 leaves out: every header cell (TH) gets
    a /Scope (/Column in a table head, /Row in a table body, as the HTML's scope says), and
    the structure tree root gets the /IdTree that the header cells' /ID and the data cells'
    /Headers references resolve through."""
    import pydyf

    by_reference = {obj.reference: obj for obj in pdf.objects if isinstance(obj, pydyf.Dictionary)}
    found = []
    for obj in by_reference.values():
        if obj.get("Type") != "/StructElem":
            continue
        if obj.get("S") == "/TH":
            row = by_reference.get(obj.get("P"))
            group = by_reference.get(row.get("P")) if row is not None else None
            in_head = group is not None and group.get("S") == "/THead"
            attributes = obj.setdefault("A", pydyf.Dictionary({"O": "/Table"}))
            attributes["Scope"] = "/Column" if in_head else "/Row"
        if "ID" in obj:
            found.append((str(obj["ID"].string), obj["ID"], obj.reference))
    root = by_reference.get(pdf.catalog.get("StructTreeRoot"))
    if root is None or not found:
        return
    names = pydyf.Array()
    for _key, name, reference in sorted(found, key=lambda entry: entry[0].encode()):
        names.extend([name, reference])
    root["IdTree"] = pydyf.Dictionary({"Names": names})


# DOCX -------------------------------------------------------------------------------------------


def docx(document: Document, progress=lambda share: None) -> bytes:
    return _remembered("docx", document, lambda: _docx(document, progress))


class _Word:
    """The Word document being written, with its styles' ids looked up once (python-docx
    looks a style name up by scanning every style, for every paragraph and cell)."""

    def __init__(self, word):
        self.word = word
        self.ids = {style.name: style.style_id for style in word.styles}

    def paragraph(self, text: str = "", style: str = ""):
        paragraph = self.word.add_paragraph(text)
        if style:
            paragraph._p.style = self.ids[style]
        return paragraph

    def style(self, paragraph, style: str) -> None:
        paragraph._p.style = self.ids[style]


def _docx(document: Document, progress) -> bytes:
    word = WordDocument()
    language = WORD_LANGUAGE.get(document.language, "sv-SE")
    _set_language(word, language)
    _page_setup(word)
    _styles(word, document.easy)
    _properties(word, document, language)
    _settings(word, language)
    writer = _Word(word)
    writer.paragraph(document.title, "Title")
    writer.paragraph(document.subtitle, "Subtitle")
    for label, value in document.cover:
        line = writer.paragraph()
        line.add_run(f"{label}: ").bold = True
        line.add_run(value)
    if document.contents:
        _contents(writer, document)
        word.add_page_break()
    total = max(1, len(document.blocks))
    for index, block in enumerate(document.blocks):
        _add(writer, block)
        progress(index / total)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _page_setup(word) -> None:
    """A4 with moderate margins; page numbers in the footer, none on the cover."""
    for section in word.sections:
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin = section.bottom_margin = MARGIN
        section.left_margin = section.right_margin = MARGIN
        section.header_distance = section.footer_distance = Cm(1)
        section.different_first_page_header_footer = True
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _field(footer, "PAGE", "1")
        footer.add_run(" / ")
        _field(footer, "NUMPAGES", "1")


def _styles(word, easy: bool) -> None:
    styles = word.styles
    normal = styles["Normal"]
    normal.font.size = Pt(13 if easy else 10.5)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.3 if easy else 1.15
    for name in ("Heading 1", "Heading 2", "Title"):
        styles[name].font.color.rgb = HEADING_INK
    caption = styles["Caption"]
    caption.font.color.rgb = INK
    caption.font.size = Pt(9.5)
    caption.paragraph_format.keep_with_next = True
    caption.paragraph_format.space_after = Pt(3)
    small = styles.add_style("Table text", WD_STYLE_TYPE.PARAGRAPH)
    small.base_style = normal
    small.font.size = Pt(9)
    small.paragraph_format.space_after = Pt(0)
    small.paragraph_format.line_spacing = 1.0
    note = styles.add_style("Table note", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    note.font.size = Pt(8.5)
    note.paragraph_format.space_after = Pt(8)
    for level in (1, 2):
        entry = styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
        entry.base_style = normal
        entry.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        entry.paragraph_format.space_after = Pt(2)


def _properties(word, document: Document, language: str) -> None:
    properties = word.core_properties
    properties.title = document.title
    properties.subject = document.subtitle
    properties.author = document.author
    properties.last_modified_by = document.author
    properties.keywords = ", ".join(document.keywords)
    properties.category = _("Report of a user-led audit")
    properties.comments = ""
    properties.language = language
    properties.revision = 1
    made = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    properties.created = properties.modified = made
    _package(word, document)


APP_PROPERTIES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" \
xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">\
<Application>Brukarrevision</Application><Company>{company}</Company><DocSecurity>0</DocSecurity>\
<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc></Properties>"""


def _package(word, document: Document) -> None:
    """The file's extended properties name this application and the organisation instead of
    the template's "Microsoft Macintosh Word", and the template's thumbnail of an empty page
    goes."""
    from xml.sax.saxutils import escape

    relationships = word.part.package.rels
    for key, relationship in list(relationships.items()):
        kind = relationship.reltype.rsplit("/", 1)[-1]
        if kind == "thumbnail":
            relationships.pop(key)
        elif kind == "extended-properties":
            app = APP_PROPERTIES.format(company=escape(document.author))
            relationship.target_part._blob = app.encode()


def _settings(word, language: str) -> None:
    """Swedish number format and theme language; Word updates the fields (the table of
    contents and its page numbers) when the file is opened."""
    settings = word.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    # CT_Settings is a sequence: updateFields comes before hdrShapeDefaults … compat.
    later = {"hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids"}
    following = next(
        (child for child in settings if child.tag.split("}")[-1] in later),
        None,
    )
    if following is not None:
        following.addprevious(update)
    else:
        settings.append(update)
    for child in settings:
        name = child.tag.split("}")[-1]
        if name == "themeFontLang":
            child.set(qn("w:val"), language)
        elif name == "decimalSymbol" and language.startswith("sv"):
            child.set(qn("w:val"), ",")
        elif name == "listSeparator" and language.startswith("sv"):
            child.set(qn("w:val"), ";")


def _field(paragraph, instruction: str, shown: str = "") -> None:
    """A complex field (PAGE, NUMPAGES …) with `shown` as its result until Word updates it."""
    _field_begin(paragraph, instruction)
    paragraph.add_run(shown)
    _field_end(paragraph)


def _field_begin(paragraph, instruction: str) -> None:
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    paragraph.add_run()._r.append(begin)
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    paragraph.add_run()._r.append(text)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    paragraph.add_run()._r.append(separate)


def _field_end(paragraph) -> None:
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def _contents(word: _Word, document: Document) -> None:
    """A table of contents field. Until Word updates it (it asks on opening) it lists the
    headings without page numbers, so every reader sees the contents."""
    word.paragraph(_("Contents"), "TOC Heading")
    entries = document.table_of_contents(deepest=2)
    paragraphs = []
    for heading in entries or [None]:
        paragraph = word.paragraph(style=f"toc {heading.level if heading else 1}")
        if not paragraphs:
            _field_begin(paragraph, TOC)
        if heading is not None:
            paragraph.add_run(heading.text)
        paragraphs.append(paragraph)
    _field_end(paragraphs[-1])
    note = word.paragraph(
        _(
            "Page numbers appear when Word updates the table of contents: answer yes when "
            "Word asks, or right-click the table and choose to update it."
        ),
        "Table note",
    )
    note.runs[0].italic = True


def _add(word: _Word, block) -> None:
    if block.kind == "heading":
        word.paragraph(block.text, f"Heading {block.level}")
    elif block.kind == "paragraph":
        word.paragraph(block.text)
    elif block.kind == "bullets":
        for item in block.items:
            word.paragraph(item, "List Bullet")
    elif block.kind == "quote":
        word.paragraph(f"”{block.text}” – {block.source}", "Quote")
    elif block.kind == "rated":
        line = word.paragraph()
        line.add_run(_("Rating") + ": ").bold = True
        _mark(line, block.mark)
        if block.reason:
            line.add_run(" " + block.reason)
    elif block.kind == "table":
        _table(word, block)
    elif block.kind == "figure":
        if block.table:
            word.paragraph(block.table.caption, "Caption")
        _picture(word, block.chart)
        if block.table:
            _table(word, block.table, caption=False)


def _table(word: _Word, table: Table, caption: bool = True) -> None:
    if caption:
        word.paragraph(table.caption, "Caption")
    grid = word.word.add_table(rows=1 + len(table.rows), cols=len(table.header))
    grid._tbl.tblPr.style = word.ids["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    rows = grid.rows
    widths = _widths(table)
    keep = len(table.rows) <= 20  # a short table stays on one page
    for index, (row, texts) in enumerate(zip(rows, [table.header, *table.rows], strict=True)):
        _whole_row(row)
        last = index == len(rows) - 1
        for column, (cell, text) in enumerate(zip(row.cells, texts, strict=True)):
            paragraph = cell.paragraphs[0]
            word.style(paragraph, "Table text")
            if widths:
                cell.width = widths[column]
            if isinstance(text, Mark):
                _mark(paragraph, text)
                _shade(cell, text.colour)
            else:
                run = paragraph.add_run(str(text))
                run.bold = index == 0 or column == 0
            if keep and not last:
                paragraph.paragraph_format.keep_with_next = True
    _repeat_header(rows[0])
    for note in table.notes:
        word.paragraph(note, "Table note")


def _widths(table: Table) -> list | None:
    if not table.widths:
        return None
    return [Cm(TEXT_WIDTH_CM * share / 100) for share in table.widths]


def _whole_row(row) -> None:
    """A row is never split over two pages."""
    split = OxmlElement("w:cantSplit")
    split.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(split)


def _repeat_header(row) -> None:
    """Mark the first row as a header row: repeated on each page, read as headers."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _mark(paragraph, mark: Mark) -> None:
    """The rating's symbol and words on its colour, bold: readable in greyscale and aloud."""
    run = paragraph.add_run(f"{mark.symbol} {mark}")
    run.bold = True
    run.font.color.rgb = RGBColor.from_string(_hex(mark.ink))
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), _hex(mark.colour))
    run._r.get_or_add_rPr().append(shading)


def _shade(cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), _hex(colour))
    cell._tc.get_or_add_tcPr().append(shading)


def _hex(colour: str) -> str:
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(char * 2 for char in colour)
    return colour.upper()


def _picture(word: _Word, chart: charts.Chart) -> None:
    """The chart as PNG at its own size (96 pixels to the inch), never wider than the text."""
    width = Cm(min(TEXT_WIDTH_CM, chart.width / 96 * 2.54))
    picture = word.paragraph()
    run = picture.add_run()
    run.add_picture(io.BytesIO(charts.png(chart)), width=width)
    picture.paragraph_format.keep_with_next = True
    drawing = run._r.xpath(".//wp:docPr")
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
