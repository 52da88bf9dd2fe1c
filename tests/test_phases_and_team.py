import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from brukarrevision.audits import checklists, services
from brukarrevision.audits.models import Phase, TargetGroup, TrainingRecord


@pytest.fixture
def planning(world):
    audit = world.audit
    audit.phase = Phase.PLANNING
    audit.save()
    return audit


def complete_plan(world, audit):
    user = world.coordinator
    services.update_plan(
        user=user,
        audit=audit,
        units=[world.unit],
        municipalities="Åsby",
        method="mixed",
        budget_sek=50000,
        informs_users="Personalen",
        informs_staff="Chefen",
    )
    group = services.add_target_group(
        user=user, audit=audit, name="Brukare", kind=TargetGroup.Kind.USERS
    )
    services.set_quotas(user=user, audit=audit, quotas={(world.unit.pk, group.pk): 8})
    today = timezone.localdate()
    services.set_timeline(
        user=user,
        audit=audit,
        dates={p: (today, today + datetime.timedelta(days=20)) for p in range(1, 9)},
    )
    services.set_tick(user=user, audit=audit, key="plan_agreed", done=True)


def test_an_audit_cannot_move_on_before_its_checklist_is_done(world, planning):
    with pytest.raises(ValidationError):
        services.move_phase(
            user=world.coordinator, audit=planning, to_phase=Phase.TEAM, reason="Klart"
        )
    complete_plan(world, planning)
    assert checklists.is_complete(planning)
    services.move_phase(
        user=world.coordinator, audit=planning, to_phase=Phase.TEAM, reason="Planen är klar"
    )
    planning.refresh_from_db()
    assert planning.phase == Phase.TEAM


def test_every_move_needs_a_reason_and_is_recorded_with_who_and_when(world, planning):
    complete_plan(world, planning)
    with pytest.raises(ValidationError):
        services.move_phase(user=world.coordinator, audit=planning, to_phase=2, reason="")
    before = timezone.now()
    services.move_phase(user=world.coordinator, audit=planning, to_phase=2, reason="Klar")
    services.move_phase(user=world.coordinator, audit=planning, to_phase=1, reason="Fel kvot")
    moves = list(planning.transitions.values_list("from_phase", "to_phase", "reason"))
    assert moves == [(1, 2, "Klar"), (2, 1, "Fel kvot")]
    assert all(
        m.moved_at >= before and m.moved_by == world.coordinator for m in planning.transitions.all()
    )


def test_the_audit_page_shows_the_timeline(world, planning, login):
    complete_plan(world, planning)
    services.move_phase(
        user=world.coordinator, audit=planning, to_phase=2, reason="Planen godkänd av nämnden"
    )
    page = login(world.client_contact).get(reverse("audits:audit", args=[planning.slug]))
    assert "Planen godkänd av nämnden" in page.content.decode()


def test_an_audit_skips_no_phase_forward(world, planning):
    complete_plan(world, planning)
    with pytest.raises(ValidationError):
        services.move_phase(
            user=world.coordinator, audit=planning, to_phase=Phase.COLLECTION, reason="Snabbt"
        )


def test_an_auditor_who_uses_the_unit_cannot_be_assigned(world):
    with pytest.raises(ValidationError) as error:
        services.add_auditor(
            user=world.coordinator,
            audit=world.audit,
            auditor=world.pool_auditor,
            perspective="user",
            declares_not_current_user=False,
        )
    assert "declares_not_current_user" in error.value.error_dict
    assert not world.audit.members.filter(user=world.pool_auditor).exists()


def test_the_team_page_refuses_an_undeclared_auditor_with_a_clear_error(world, login):
    client = login(world.coordinator)
    response = client.post(
        reverse("audits:team", args=["own"]),
        {
            "section": "auditor",
            "auditor-auditor": world.pool_auditor.pk,
            "auditor-perspective": "user",
        },
    )
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert not world.audit.members.filter(user=world.pool_auditor).exists()


def test_team_checklist_needs_training_and_pledges(world):
    audit = world.audit
    audit.phase = Phase.TEAM
    audit.save()
    done = {s.item.key: s.done for s in checklists.checklist(audit)}
    assert done["coordinator"] and done["team_size"]
    assert not done["trained"] and not done["pledges"]
    for person in (world.auditor, world.unsigned_auditor):
        for topic in ("law", "secrecy", "interviewing"):
            TrainingRecord.objects.create(
                user=person, topic=topic, completed_on=timezone.localdate()
            )
    services.sign_pledge(user=world.unsigned_auditor, audit=audit)
    done = {s.item.key: s.done for s in checklists.checklist(audit)}
    assert done["trained"] and done["pledges"]


def test_training_cannot_be_recorded_in_the_future(world):
    with pytest.raises(ValidationError):
        services.record_training(
            user=world.coordinator,
            audit=world.audit,
            auditor=world.auditor,
            topic="law",
            completed_on=timezone.localdate() + datetime.timedelta(days=3),
        )


def test_the_coordinator_start_page_lists_audits_by_phase_and_what_is_overdue(world, login):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    services.set_timeline(
        user=world.coordinator, audit=world.audit, dates={Phase.INSTRUMENTS: (None, yesterday)}
    )
    html = login(world.coordinator).get("/").content.decode()
    assert "Own audit" in html and "Other audit" not in html
    assert "tag--overdue" in html


def test_a_plan_date_out_of_order_is_refused(world, login):
    client = login(world.coordinator)
    response = client.post(
        reverse("audits:plan", args=["own"]),
        {"section": "timeline", "timeline-start_2": "2027-03-10", "timeline-due_2": "2027-03-01"},
    )
    html = response.content.decode()
    assert 'class="error-summary"' in html and "2027-03-10" in html
    assert not world.audit.phase_dates.exists()
