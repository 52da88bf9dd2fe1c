"""The demo around the audits, as the issues ask for it: the pool, courses, fees and the way
in (issue 15), certification and the participation ladder (issue 16), councils and
suggestions (issue 17)."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from brukarrevision.certification import selectors as certification_selectors
from brukarrevision.certification.models import Certification
from brukarrevision.councils.models import Issue
from brukarrevision.ladder import selectors as ladder
from brukarrevision.ladder.models import LadderRound
from brukarrevision.organisations.models import Unit
from brukarrevision.pay.models import Status, TimeReport, TravelClaim
from brukarrevision.pool.models import Assignment, Attendance, PoolMember, WayInRequest
from brukarrevision.suggestions.models import Suggestion

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_pool_a_course_pay_and_a_request_through_the_way_in(demo_data):
    assert PoolMember.objects.filter(organisation__name="Brukarkraft Väst").count() >= 20
    assert Attendance.objects.exists()
    demo_reports = TimeReport.objects.filter(audit__slug="demo")
    assert demo_reports.exists() and TravelClaim.objects.filter(audit__slug="demo").exists()
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    approved = demo_reports.filter(status=Status.APPROVED, date__month=last_month.month)
    assert approved.exists()
    assert demo_reports.filter(status=Status.SUBMITTED).exists()
    assert WayInRequest.objects.exists()
    assert Assignment.objects.filter(status=Assignment.Status.ACCEPTED).exists()


def test_the_demo_has_certified_in_progress_and_lapsed_units_and_the_register(demo_data):
    states = set(Certification.objects.values_list("status", flat=True))
    assert {"certified", "in_progress", "lapsed"} <= states
    certified = Certification.objects.get(status="certified")
    lapsed = Certification.objects.filter(status="lapsed").first()
    register = Client().get("/certification/register/").content.decode()
    assert certified.unit.name in register
    listed = {c.unit_id for c in certification_selectors.register()}
    assert certified.unit_id in listed and lapsed.unit_id not in listed


def test_the_demo_has_ladder_results_in_two_rounds_with_staff_and_users(demo_data):
    unit = Unit.objects.get(name="Boendestöd Åsby")
    rounds = LadderRound.objects.filter(unit=unit, closed_at__isnull=False)
    assert rounds.count() >= 2
    latest = ladder.latest_summary(unit)
    perspectives = {r.perspective for r in rounds.order_by("-started_on").first().responses.all()}
    assert {"staff", "users"} <= perspectives
    assert latest is not None


def test_the_demo_has_councils_with_issues_and_suggestions_on_a_wall(demo_data):
    assert Issue.objects.filter(proposal__isnull=False).exists()
    approved = Suggestion.objects.filter(status="approved").exclude(answer="")
    assert approved.exists()
    wall = Client().get(f"/suggestions/{approved.first().unit_id}/wall/")
    assert wall.status_code == 200
