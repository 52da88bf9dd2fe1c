"""The administrator's review of the security log: who may see it, choosing events, export,
and warnings of unusual patterns."""

import csv
import datetime
import io

from django.urls import reverse
from django.utils import timezone

from brukarrevision.accounts.log_review import unusual_patterns
from brukarrevision.accounts.models import SecurityEvent
from brukarrevision.accounts.services import record_event

Kind = SecurityEvent.Kind
URL = reverse("security_log")


def _event(kind, *, days_ago=0, **fields):
    event = record_event(kind, **fields)
    if days_ago:
        event.at = timezone.now() - datetime.timedelta(days=days_ago)
        event.save(update_fields=["at"])
    return event


def _shown(response) -> set[int]:
    return {event.pk for event in response.context["events"]}


def test_only_administrators_see_the_log(world, login):
    assert login(world.org_coordinator).get(URL).status_code == 403
    assert login(world.admin).get(URL).status_code == 200


def test_the_start_page_links_administrators_to_the_log(world, login):
    assert URL.encode() in login(world.admin).get(reverse("core:home")).content
    assert URL.encode() not in login(world.coordinator).get(reverse("core:home")).content


def test_filters_show_only_matching_events(world, login):
    grant = _event(
        Kind.ROLE_GRANTED, user=world.coordinator, subject=world.pool_auditor, audit=world.audit
    )
    other_audit = _event(Kind.ROLE_GRANTED, user=world.other_coordinator, audit=world.other_audit)
    failed = _event(Kind.SIGN_IN_FAILED, identifier="stranger@elsewhere.example")
    old = _event(Kind.SIGN_IN_FAILED, identifier="stranger@elsewhere.example", days_ago=40)
    client = login(world.admin)

    by_person = client.get(URL, {"person": "pool_auditor"})
    assert _shown(by_person) == {grant.pk}  # the person the grant concerned
    assert _shown(client.get(URL, {"person": "STRANGER@"})) == {failed.pk, old.pk}

    by_kind = _shown(client.get(URL, {"kind": Kind.ROLE_GRANTED}))
    assert by_kind == {grant.pk, other_audit.pk}

    assert _shown(client.get(URL, {"audit": world.audit.pk})) == {grant.pk}

    ten_days_ago = timezone.localdate() - datetime.timedelta(days=10)
    recent = _shown(client.get(URL, {"kind": Kind.SIGN_IN_FAILED, "date_from": ten_days_ago}))
    assert recent == {failed.pk}
    earlier = _shown(client.get(URL, {"kind": Kind.SIGN_IN_FAILED, "date_to": ten_days_ago}))
    assert earlier == {old.pk}


def test_a_period_that_ends_before_it_starts_is_explained(world, login):
    response = login(world.admin).get(URL, {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert response.status_code == 200
    assert b"error-summary" in response.content
    assert not _shown(response)


def test_csv_export_holds_only_the_chosen_events_and_is_logged(world, login):
    _event(Kind.ROLE_GRANTED, user=world.coordinator, subject=world.pool_auditor, audit=world.audit)
    _event(Kind.SIGN_IN_FAILED, identifier="=HYPERLINK(evil)")
    _event(Kind.SIGN_IN_FAILED, identifier="someone@elsewhere.example")
    response = login(world.admin).get(URL, {"kind": Kind.SIGN_IN_FAILED, "export": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    who = sorted(row[2] for row in rows[1:])
    assert who == ["'=HYPERLINK(evil)", "someone@elsewhere.example"]  # no grant, no formula
    logged = SecurityEvent.objects.get(kind=Kind.SECURITY_LOG_EXPORTED)
    assert logged.user == world.admin
    assert "csv, 2 events" in logged.detail


def test_xlsx_export_is_a_workbook(world, login):
    response = login(world.admin).get(URL, {"export": "xlsx"})
    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    assert SecurityEvent.objects.filter(kind=Kind.SECURITY_LOG_EXPORTED).exists()


def test_ten_failed_sign_ins_for_one_address_give_a_warning(world, login):
    for _ in range(10):
        _event(Kind.SIGN_IN_FAILED, identifier="target@test.example")
    for _ in range(3):
        _event(Kind.SIGN_IN_FAILED, identifier="typo@test.example")
    for _ in range(10):  # more than a day ago: not counted
        _event(Kind.SIGN_IN_FAILED, identifier="lastweek@test.example", days_ago=3)
    response = login(world.admin).get(URL)
    warnings = " ".join(warning.text for warning in response.context["warnings"])
    assert "target@test.example" in warnings
    assert "typo@test.example" not in warnings
    assert "lastweek@test.example" not in warnings
    assert "target@test.example" in response.content.decode()


def test_three_failed_sign_ins_give_no_warning(world, login):
    for _ in range(3):
        _event(Kind.SIGN_IN_FAILED, identifier="typo@test.example")
    response = login(world.admin).get(URL)
    assert response.context["warnings"] == []


def test_five_raw_exports_by_one_person_give_a_warning(world):
    for _ in range(4):
        _event(Kind.RAW_DATA_EXPORTED, user=world.coordinator)
    assert unusual_patterns() == []
    _event(Kind.RAW_DATA_EXPORTED, user=world.auditor)
    _event(Kind.RAW_DATA_EXPORTED, user=world.coordinator)
    warnings = unusual_patterns()
    assert len(warnings) == 1
    assert world.coordinator.email in warnings[0].text


def test_conflicts_on_one_audit_and_second_factor_resets_give_warnings(world):
    for _ in range(5):
        _event(Kind.SUBMISSION_CONFLICT, detail=f"audit {world.audit.slug}, distribution x")
    _event(
        Kind.SECOND_FACTOR_RESET,
        user=world.admin,
        detail=f"two-step sign-in reset for {world.auditor.email}",
    )
    texts = [warning.text for warning in unusual_patterns()]
    assert any(world.audit.title in text for text in texts)
    assert any(world.auditor.email in text for text in texts)
