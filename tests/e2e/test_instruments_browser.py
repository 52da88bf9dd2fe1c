"""An auditor builds a questionnaire in the browser, without the admin and without JavaScript;
axe-core finds nothing on the builder, the item page, the bank and the preview."""

from brukarrevision.instruments.models import Instrument, Item

from .conftest import sign_in
from .test_accessibility import assert_no_violations

KINDS = [
    "single",
    "multiple",
    "rating",
    "yes_no",
    "number",
    "short_text",
    "long_text",
    "matrix",
    "note",
]


def add_item(page, kind, text):
    form = page.locator("form#add-item")
    form.locator("select[name=kind]").select_option(kind)
    form.locator("textarea[name=text]").fill(text)
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/items/*/")


def fill_item(page, kind):
    if kind in ("single", "multiple"):
        for n, (value, label) in enumerate([("a", "Alternativ A"), ("b", "Alternativ B")]):
            page.fill(f"input[name=choices-{n}-value]", value)
            page.fill(f"input[name=choices-{n}-label_sv]", label)
    if kind == "matrix":
        page.fill("input[name=rows-0-text_sv]", "Personalen lyssnar")
        page.fill("input[name=rows-1-text_sv]", "Personalen har tid")
    if kind in ("rating", "matrix"):
        page.check("input[name=scale_steps][value='5']")
        page.fill("input[name=scale_low_sv]", "Inte alls")
        page.fill("input[name=scale_high_sv]", "Helt")
        page.check("input[name=dont_know]")
    if kind == "rating":
        page.select_option("select[name=condition_item]", index=2)  # the multiple choice
        page.select_option("select[name=condition_op]", "selected")
        page.fill("input[name=condition_value]", "a")
    page.click("main form button[type=submit]")


def test_an_auditor_builds_a_questionnaire_without_javascript(browser, demo_site):
    from .conftest import new_page

    page = new_page(browser, javascript=False)
    sign_in(page, demo_site, "revisor@demo.example")
    page.goto(f"{demo_site}/audits/demo/instruments/")
    form = page.locator("form#new-instrument")
    form.locator("input[name=title]").fill("Min enkät")
    form.locator("input[name=kind][value=questionnaire]").check()
    form.locator("button[type=submit]").click()
    instrument = Instrument.objects.get(title="Min enkät")
    builder = f"{demo_site}/audits/demo/instruments/{instrument.pk}/"
    assert page.url.startswith(builder)
    for kind in KINDS:
        page.goto(builder)
        add_item(page, kind, f"Fråga av typen {kind}")
        fill_item(page, kind)
        assert "/items/" not in page.url, page.content()[:3000]
    items = {i.kind: i for i in instrument.all_items().filter(parent=None)}
    assert set(items) == set(KINDS)
    assert items["single"].choices.count() == 2
    assert items["matrix"].rows.count() == 2
    assert items["rating"].condition == {
        "item": items["multiple"].code,
        "op": "selected",
        "value": "a",
    }
    page.goto(f"{builder}preview/sv/")
    assert "Fråga av typen matrix" in page.content()
    page.context.close()


def test_the_builder_pages_have_no_violations(page, demo_site):
    sign_in(page, demo_site, "revisor@demo.example")
    instrument = Instrument.objects.get(audit__slug="demo", kind="questionnaire")
    matrix = instrument.all_items().get(kind=Item.Kind.MATRIX)
    base = f"{demo_site}/audits/demo/instruments/"
    for path in [
        "",
        f"{instrument.pk}/",
        f"{instrument.pk}/items/{matrix.pk}/",
        f"{instrument.pk}/bank/",
        f"{instrument.pk}/preview/sv/",
        f"{instrument.pk}/preview/sv-x-easy/",
        f"{instrument.pk}/preview/en/",
    ]:
        page.goto(base + path)
        assert_no_violations(page)
    page.goto(f"{base}{instrument.pk}/preview/sv/")
    page.click("main form button[type=submit]")
    page.locator(".error-summary").wait_for()
    assert_no_violations(page)
