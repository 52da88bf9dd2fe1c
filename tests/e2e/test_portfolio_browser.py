"""The portfolio in a real browser: its filters work as a plain form without JavaScript on
a phone-wide screen, and with JavaScript for a signed-in coordinator; axe-core finds no
violations on the page, filtered or not."""

from .conftest import new_page, sign_in
from .test_accessibility import assert_no_violations


def test_the_public_filters_the_portfolio_without_javascript(no_js_page, demo_site):
    page = no_js_page
    page.goto(f"{demo_site}/portfolio/")
    assert "Socialstyrelsen" in page.content()  # national proposals of a published report
    page.select_option("select[name=county]", "W")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/portfolio/?*county=W*")
    counties = page.locator("#by-county tbody").inner_text()
    assert "Dalarnas län" in counties and "Västra Götalands län" not in counties
    assert page.locator("select[name=county]").input_value() == "W"


def test_a_coordinator_filters_and_compares_with_javascript(browser, demo_site):
    page = new_page(browser, width=390)
    try:
        sign_in(page, demo_site, "samordnare@demo.example")
        page.goto(f"{demo_site}/portfolio/")
        assert page.locator("#by-county tbody tr").count() == 3
        assert_no_violations(page)
        page.select_option("select[name=service_type]", "social_services")
        page.select_option("select[name=by]", "year")
        page.click("form.filters button[type=submit]")
        page.wait_for_url("**/portfolio/?*service_type=social_services*")
        header = page.locator("#quality-areas thead").inner_text()
        assert "2026" in header
        assert page.locator("#trend-1").is_visible()  # demo-2027 follows up demo
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= 390, wide  # wide tables scroll inside their own box
        assert_no_violations(page)
    finally:
        page.context.close()


SPLIT_WORDS = """() => {
  const split = [];
  for (const cell of document.querySelectorAll("main td, main th")) {
    for (const node of cell.childNodes) {
      if (node.nodeType !== Node.TEXT_NODE) continue;
      const range = document.createRange();
      for (const match of node.textContent.matchAll(/\\S{2,}/g)) {
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        if (range.getClientRects().length > 1) split.push(match[0]);
      }
    }
  }
  return split;
}"""


def test_table_columns_never_split_words_on_a_wide_screen(browser, demo_site):
    """On a computer or tablet screen a table's words stay whole: a table too wide for the
    screen scrolls in a frame the keyboard can reach, named by its caption."""
    page = new_page(browser, width=1280)
    try:
        sign_in(page, demo_site, "samordnare@demo.example")
        for path in ("/portfolio/", "/pool/1/totals/", "/audits/demo/"):
            page.goto(f"{demo_site}{path}")
            assert page.evaluate(SPLIT_WORDS) == [], path
        page.set_viewport_size({"width": 700, "height": 900})
        page.goto(f"{demo_site}/portfolio/")
        assert page.evaluate(SPLIT_WORDS) == []
        unreachable = page.evaluate(
            """() => [...document.querySelectorAll(".table-wrap")].filter(
                 w => w.scrollWidth > w.clientWidth + 1 && w.tabIndex < 0).length"""
        )
        assert unreachable == 0
        assert page.evaluate("document.documentElement.scrollWidth") <= 700
        assert_no_violations(page)
    finally:
        page.context.close()
