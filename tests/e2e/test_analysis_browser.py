"""The analysis pages in Chromium: axe-core finds nothing on results (the team's working view
and the client's view), codebook, coding, agreement and findings; an auditor codes a passage
by selecting words with the mouse."""

from brukarrevision.analysis.models import Code, Coding

from .conftest import new_page, sign_in
from .test_accessibility import assert_no_violations

PAGES = [
    "/audits/demo/analysis/",
    "/audits/demo/analysis/?by=unit&order=quality_area",
    "/audits/demo/analysis/?by=unit&view=client",
    "/audits/demo/analysis/codebook/",
    "/audits/demo/analysis/coding/",
    "/audits/demo/analysis/coding/?all=1",
    "/audits/demo/analysis/agreement/",
    "/audits/demo/analysis/findings/",
]


def test_the_analysis_pages_have_no_violations(page, demo_site):
    sign_in(page, demo_site, "revisor@demo.example")
    for path in PAGES:
        page.goto(demo_site + path)
        assert_no_violations(page)


def test_the_client_sees_suppressed_results_without_violations(browser, demo_site):
    page = new_page(browser, width=390)
    sign_in(page, demo_site, "bestallare@demo.example")
    page.goto(f"{demo_site}/audits/demo/analysis/?by=unit")
    assert page.locator(".suppressed").count() > 0
    assert "(n=3)" not in page.content()
    assert_no_violations(page)


def test_an_auditor_selects_words_and_codes_them(page, demo_site):
    sign_in(page, demo_site, "revisor3@demo.example")
    page.goto(f"{demo_site}/audits/demo/analysis/coding/")
    article = page.locator("article.answer").first
    quote = article.locator("blockquote")
    text = quote.inner_text()
    words = text.split()[1:3]
    page.evaluate(
        """([element, wanted]) => {
            const node = element.firstChild;
            const start = node.textContent.indexOf(wanted);
            const range = document.createRange();
            range.setStart(node, start);
            range.setEnd(node, start + wanted.length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            element.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
        }""",
        [quote.element_handle(), " ".join(words)],
    )
    field = article.locator("textarea[name$=passage]")
    assert field.input_value() == " ".join(words)
    code = Code.objects.get(audit__slug="demo", name="Samma personal")
    article.locator("select[name$=code]").select_option(str(code.pk))
    article.locator("form.coding-form button[type=submit]").click()
    page.wait_for_load_state()
    coding = Coding.objects.get(coder__email="revisor3@demo.example")
    assert coding.passage == " ".join(words)
    assert coding.start == text.index(" ".join(words))
