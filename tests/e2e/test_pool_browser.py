"""Acceptance 1 in a real browser: before a course, the team rule refuses to put a pool
member in an audit team; the coordinator marks their attendance at the course's sessions;
then the same person joins the team. And axe-core on the pool's pages and the public
way-in form."""

from brukarrevision.audits.models import Audit, AuditMember, TrainingRecord, TrainingTopic
from brukarrevision.pool.models import Assignment, Course, PoolMember

from .conftest import new_page, sign_in
from .test_accessibility import assert_no_violations


def _assign(page, audit):
    page.select_option("select[name='assign-audit']", str(audit.pk))
    page.check("input[name='assign-perspective'][value='relative']")
    page.check("input[name='assign-declares_not_current_user']")
    page.click("form:has(input[name=section][value=assign]) button[type=submit]")
    page.wait_for_load_state()


def test_a_course_with_attendance_lets_the_attendee_join_an_audit_team(page, demo_site):
    nora = PoolMember.objects.get(full_name="Nora Nyström")
    audit = Audit.objects.get(slug="asby-lss")
    course = Course.objects.get(title__endswith="hösten")
    sign_in(page, demo_site, "samordnare@demo.example")

    # Before the course: the team rule refuses her, and the page says why.
    page.goto(f"{demo_site}/pool/member/{nora.pk}/")
    _assign(page, audit)
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert "Nora Nyström" in summary.inner_text()
    assert not AuditMember.objects.filter(audit=audit, user=nora.user).exists()

    # The coordinator marks her attendance at each session of the course.
    page.goto(f"{demo_site}/pool/course/{course.pk}/")
    for session in course.sessions.all():
        form = page.locator(f"form:has(input[name=section][value='attendance-{session.pk}'])")
        form.get_by_label("Nora Nyström").check()
        form.locator("button[type=submit]").click()
        page.wait_for_url(f"**/pool/course/{course.pk}/")
    topics = set(TrainingRecord.objects.filter(user=nora.user).values_list("topic", flat=True))
    assert topics == set(TrainingTopic.values)
    row = page.locator("tr", has=page.get_by_role("link", name="Nora Nyström", exact=True))
    assert row.locator("a[href*='/pool/certificate/']").count() == 1

    # After the course: she joins the team.
    page.goto(f"{demo_site}/pool/member/{nora.pk}/")
    _assign(page, audit)
    page.wait_for_url(f"**/pool/member/{nora.pk}/")
    assert page.locator(".error-summary").count() == 0
    assert AuditMember.objects.filter(audit=audit, user=nora.user, role="auditor").exists()
    assert "Brukarrevision av gruppbostäder LSS i Åsby" in page.locator("main").inner_text()


def test_the_pool_pages_have_no_violations(page, demo_site):
    organisation = PoolMember.objects.get(full_name="Rami Revisor").organisation
    member = PoolMember.objects.get(full_name="Rami Revisor")
    course = Course.objects.get(title__endswith="våren")
    request = Assignment.objects.filter(member=member).first().request
    sign_in(page, demo_site, "samordnare@demo.example")
    for path in [
        f"/pool/{organisation.pk}/",
        f"/pool/{organisation.pk}/?language=arab&experience=user",
        f"/pool/{organisation.pk}/new/",
        f"/pool/member/{member.pk}/",
        f"/pool/member/{member.pk}/erase/",
        f"/pool/{organisation.pk}/courses/",
        f"/pool/course/{course.pk}/",
        f"/pool/{organisation.pk}/totals/",
        f"/pool/{organisation.pk}/way-in/",
        f"/pool/request/{request.pk}/",
    ]:
        page.goto(demo_site + path)
        assert_no_violations(page)


def test_the_public_way_in_form_its_errors_and_the_answer_link_have_no_violations(
    browser, demo_site
):
    organisation = PoolMember.objects.get(full_name="Rami Revisor").organisation
    offered = Assignment.objects.get(member__full_name="Leila Lund")
    phone = new_page(browser, width=390)
    phone.goto(f"{demo_site}/way-in/{organisation.pk}/")
    assert_no_violations(phone)
    phone.click("main form button[type=submit]")
    summary = phone.locator(".error-summary")
    summary.wait_for()
    assert summary.locator("a").count() >= 3
    assert_no_violations(phone)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390

    phone.goto(f"{demo_site}/way-in/answer/{offered.token}/")
    assert_no_violations(phone)
    phone.click("button[value=accept]")
    phone.locator("p.notice").wait_for()
    offered.refresh_from_db()
    assert offered.status == Assignment.Status.ACCEPTED
    assert_no_violations(phone)
    phone.context.close()
