import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from brukarrevision.audits import checklists, services
from brukarrevision.audits.models import Audit, Phase, TargetGroup, TrainingRecord
from brukarrevision.core import selectors


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


def test_tasks_never_show_what_the_person_may_not_see(world, login):
    # The other tenant's open application and overdue audit stay with its own coordinator.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    services.set_timeline(
        user=world.other_coordinator,
        audit=world.other_audit,
        dates={Phase.INSTRUMENTS: (None, yesterday)},
    )
    html = login(world.coordinator).get("/").content.decode()
    assert "Other audit" not in html
    page = selectors.start_page(world.other_coordinator)
    overdue = next(g for g in page["coordinator"]["tasks"] if g.key == "overdue")
    assert [task.audit for task in overdue.tasks] == [world.other_audit]
    assert "coordinator" not in selectors.start_page(world.outsider)


# The plan: one form, one save ---------------------------------------------------------------------


def plan_post(world, **changes):
    data = {
        "section": "plan",
        "units": [world.unit.pk],
        "municipalities": "Åsby",
        "method": "mixed",
        "budget_sek": "50000",
        "informs_users": "Personalen",
        "informs_staff": "Chefen",
        "group-name": "",
        "group-kind": "",
    }
    data.update(changes)
    return data


def test_the_plan_page_has_one_form_and_one_save_button(world, login):
    html = login(world.coordinator).get(reverse("audits:plan", args=["own"])).content.decode()
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert main.count("<form") == 1
    form = html.split('id="plan-form"', 1)[1].split("</form>", 1)[0]
    assert form.count('type="submit"') == 1


def test_the_whole_plan_is_saved_with_one_button(world, login):
    client = login(world.coordinator)
    response = client.post(
        reverse("audits:plan", args=["own"]),
        plan_post(
            world,
            **{
                "group-name": "Brukare",
                "group-kind": "users",
                "timeline-start_2": "2027-03-01",
                "timeline-due_2": "2027-03-31",
            },
        ),
    )
    assert response.status_code == 302
    audit = Audit.objects.get(slug="own")
    assert audit.budget_sek == 50000 and audit.method == "mixed"
    group = audit.target_groups.get()
    assert group.name == "Brukare"
    dates = audit.phase_dates.get(phase=2)
    assert (dates.starts_on, dates.due_on) == (
        datetime.date(2027, 3, 1),
        datetime.date(2027, 3, 31),
    )
    # The quota for the new group can be filled in and saved with the rest.
    key = f"quota-q_{world.unit.pk}_{group.pk}"
    response = client.post(reverse("audits:plan", args=["own"]), plan_post(world, **{key: "8"}))
    assert response.status_code == 302
    assert audit.quotas.get().target == 8
    # A group ticked for removal goes, with its quota.
    client.post(
        reverse("audits:plan", args=["own"]), plan_post(world, **{"group-remove": [group.pk]})
    )
    assert not audit.target_groups.exists() and not audit.quotas.exists()


def test_plan_errors_are_named_by_section_next_to_their_fields_and_nothing_is_saved(world, login):
    client = login(world.coordinator)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("audits:plan", args=["own"]),
        plan_post(
            world,
            **{
                "budget_sek": "-5000",
                "group-name": "Anhöriga",
                "timeline-start_3": "1900-01-05",
                "timeline-start_4": "2027-03-10",
                "timeline-due_4": "2027-03-01",
            },
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    summary = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "The plan is not saved yet" in summary
    for section in ("Scope and method", "Target groups", "Timeline"):
        assert f"<strong>{section}</strong>" in summary
    assert "The budget cannot be negative" in summary
    assert "3 Questions and instruments, starts: 5 January 1900 is too early" in summary
    assert "4 Data collection, done by: The end date is before the start date" in summary
    assert 'href="#id_budget_sek"' in summary and 'href="#id_timeline-due_4"' in summary
    assert 'href="#id_group-kind"' in summary
    # Next to the fields, and what was typed is kept.
    assert 'id="id_budget_sek_error"' in html and 'value="-5000"' in html
    assert 'id="id_timeline-due_4_error"' in html and 'value="2027-03-10"' in html
    assert 'value="Anhöriga"' in html
    audit = Audit.objects.get(slug="own")
    assert audit.budget_sek is None and not audit.phase_dates.exists()
    assert not audit.target_groups.exists()


def test_a_date_far_ahead_is_refused_with_the_year_to_check(world, login):
    client = login(world.coordinator)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("audits:plan", args=["own"]),
        plan_post(world, **{"timeline-due_5": "2207-03-01"}),
    )
    assert "1 March 2207 is more than 10 years ahead. Check the year." in response.content.decode()


def test_services_refuse_a_negative_budget_and_a_date_in_1900(world):
    with pytest.raises(services.ValidationError) as refused:
        services.update_plan(
            user=world.coordinator,
            audit=world.audit,
            units=[world.unit],
            municipalities="",
            method="mixed",
            budget_sek=-1,
            informs_users="",
            informs_staff="",
        )
    assert "budget_sek" in refused.value.error_dict
    with pytest.raises(services.ValidationError):
        services.set_timeline(
            user=world.coordinator,
            audit=world.audit,
            dates={Phase.TEAM: (datetime.date(1900, 3, 3), None)},
        )
    with pytest.raises(services.ValidationError):
        services.record_training(
            user=world.coordinator,
            audit=world.audit,
            auditor=world.auditor,
            topic="law",
            completed_on=datetime.date(1900, 3, 3),
        )
    assert not world.audit.phase_dates.exists()


def test_a_refused_section_rolls_back_the_others(world):
    TargetGroup.objects.create(audit=world.audit, name="Brukare", kind="users")
    with pytest.raises(services.PlanNotSaved) as refused:
        services.save_plan(
            user=world.coordinator,
            audit=world.audit,
            scope={
                "units": [world.unit],
                "municipalities": "Åsby",
                "method": "mixed",
                "budget_sek": 1000,
                "informs_users": "",
                "informs_staff": "",
            },
            remove_groups=[],
            new_group=("brukare", "users"),  # the same name: refused
            quotas={},
            dates={},
        )
    assert set(refused.value.by_section) == {"groups"}
    world.audit.refresh_from_db()
    assert world.audit.budget_sek is None


def test_dates_are_written_3_mars_2027_in_swedish_and_3_march_2027_in_english(world, login):
    services.set_timeline(
        user=world.coordinator,
        audit=world.audit,
        dates={Phase.TEAM: (datetime.date(2027, 3, 3), datetime.date(2027, 3, 30))},
    )
    client = login(world.coordinator)
    html = client.get(reverse("audits:audit", args=["own"])).content.decode()
    assert "3 mars 2027" in html and "30 mars 2027" in html
    client.cookies["django_language"] = "en"
    html = client.get(reverse("audits:audit", args=["own"])).content.decode()
    assert "3 March 2027" in html


def test_the_admin_speaks_swedish(world, login):
    html = login(world.admin).get("/admin/").content.decode()
    assert '<html lang="sv"' in html and "Logga ut" in html
