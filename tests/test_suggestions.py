"""The suggestion box: anonymous writing, masking, moderation, the public wall, counts with
small numbers suppressed, and who may moderate."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from brukarrevision.instruments.models import QualityArea
from brukarrevision.suggestions import selectors, services
from brukarrevision.suggestions.models import Suggestion
from brukarrevision.suggestions.selectors import Quarter

ABOUT = "Maten på boendet"
CHANGE = "Mer grönsaker och frukt till frukost."


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _post(client, unit, lang="sv", **data):
    payload = {"about": ABOUT, "change": CHANGE, "quality_area": "", "lang": lang, **data}
    return client.post(reverse("suggestions:box", args=[unit.pk]), payload)


def _suggestion(unit, *, area="", days_ago=0, created_on=None, **fields):
    suggestion = services.submit(
        unit=unit, about=ABOUT, change=CHANGE, quality_area=area, language="sv"
    )
    day = created_on or timezone.localdate() - datetime.timedelta(days=days_ago)
    Suggestion.objects.filter(pk=suggestion.pk).update(created_on=day, **fields)
    suggestion.refresh_from_db()
    return suggestion


# Writing ----------------------------------------------------------------------------------


def test_the_list_shows_every_units_box_grouped_and_searchable(client, world):
    page = client.get(reverse("suggestions:list")).content.decode()
    assert "Åsby kommun" in page and "Region Norr" in page
    assert reverse("suggestions:box", args=[world.unit.pk]) in page
    found = client.get(reverse("suggestions:list"), {"q": "BUP"}).content.decode()
    assert "BUP Norr" in found and "Boendestöd" not in found


def test_anyone_writes_a_suggestion_without_signing_in(client, world):
    response = _post(client, world.unit, quality_area=QualityArea.SUPPORT)
    assert response.status_code == 302
    assert response.url.startswith(reverse("suggestions:thanks", args=[world.unit.pk]))
    receipt = client.get(response.url).content.decode()
    assert "Tack för din synpunkt!" in receipt
    suggestion = Suggestion.objects.get()
    assert (suggestion.unit, suggestion.about, suggestion.change) == (world.unit, ABOUT, CHANGE)
    assert suggestion.status == Suggestion.Status.NEW
    # Only the date is kept: no time of day, no address, no account.
    assert suggestion.created_on == timezone.localdate()
    field_names = {field.name for field in Suggestion._meta.get_fields()}
    assert not field_names & {"ip", "ip_address", "address", "user", "created_at", "session"}


def test_identity_numbers_and_phone_numbers_are_masked_before_saving(client, world):
    response = _post(
        client,
        world.unit,
        about="Mitt personnummer är 19121212-1212",
        change="Ring mig på 070-123 45 67 eller skriv till anna@example.se",
    )
    suggestion = Suggestion.objects.get()
    assert "1212" not in suggestion.about and "[personnummer]" in suggestion.about
    assert "123 45 67" not in suggestion.change and "[telefonnummer]" in suggestion.change
    assert "anna@example.se" not in suggestion.change
    receipt = client.get(response.url).content.decode()
    assert "Vi dolde något som såg ut som ett personnummer" in receipt


def test_the_box_is_in_easy_to_read_swedish_and_english(client, world):
    url = reverse("suggestions:box", args=[world.unit.pk])
    easy = client.get(url, {"lang": "sv-x-easy"}).content.decode()
    assert "Säg vad du tycker" in easy and "Skriv inte ditt namn." in easy
    english = client.get(url, {"lang": "en"}).content.decode()
    assert "What would you change?" in english and 'lang="en"' in english
    _post(client, world.unit, lang="en")
    assert Suggestion.objects.get().language == "en"


def test_missing_text_is_explained_in_the_writers_language_and_nothing_is_saved(client, world):
    response = _post(client, world.unit, lang="en", about="", change="Something")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Write what the suggestion is about." in page
    assert "Something" in page  # what was written is kept
    assert not Suggestion.objects.exists()


def test_flooding_from_one_address_is_refused_for_the_hour(client, world, settings):
    settings.SUGGESTIONS_PER_HOUR = 2
    assert _post(client, world.unit).status_code == 302
    assert _post(client, world.unit).status_code == 302
    refused = _post(client, world.unit, change="En tredje")
    assert refused.status_code == 429
    assert "Försök igen lite senare" in refused.content.decode()
    assert "En tredje" in refused.content.decode()
    assert Suggestion.objects.count() == 2


# Moderation and the wall --------------------------------------------------------------------


def _moderate(client, suggestion, **data):
    url = reverse("suggestions:moderate", args=[suggestion.unit_id, suggestion.pk])
    return client.post(url, {"reason": "", "answer": "", **data})


def test_the_unit_contact_approves_and_answers_and_the_wall_shows_only_that(login, world):
    approved = _suggestion(world.unit)
    Suggestion.objects.filter(pk=approved.pk).update(about="Synpunkt som godkänns")
    rejected = _suggestion(world.unit)
    Suggestion.objects.filter(pk=rejected.pk).update(about="Synpunkt som avvisas")
    waiting = _suggestion(world.unit)
    Suggestion.objects.filter(pk=waiting.pk).update(about="Synpunkt som väntar")
    client = login(world.unit_contact)
    queue = client.get(reverse("suggestions:queue", args=[world.unit.pk])).content.decode()
    assert "Synpunkt som väntar" in queue
    response = _moderate(client, approved, decision="approved", answer="Vi köper mer frukt.")
    assert response.status_code == 302
    _moderate(client, rejected, decision="rejected", reason="Pekar ut en person.")
    wall = client.get(reverse("suggestions:wall", args=[world.unit.pk])).content.decode()
    assert "Synpunkt som godkänns" in wall and "Vi köper mer frukt." in wall
    assert "Synpunkt som avvisas" not in wall and "Synpunkt som väntar" not in wall
    approved.refresh_from_db()
    assert (
        approved.moderated_by == world.unit_contact and approved.answered_by == world.unit_contact
    )


def test_an_approved_suggestion_without_an_answer_is_not_on_the_wall(login, world):
    suggestion = _suggestion(world.unit)
    _moderate(login(world.unit_contact), suggestion, decision="approved")
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.APPROVED
    assert not selectors.wall(world.unit).exists()


def test_rejecting_needs_a_reason(login, world):
    suggestion = _suggestion(world.unit)
    response = _moderate(login(world.unit_contact), suggestion, decision="rejected")
    assert response.status_code == 200
    assert "Skriv varför synpunkten avvisas." in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.NEW


def test_a_suggestion_that_may_hold_a_name_is_flagged_for_the_moderator(login, world):
    suggestion = services.submit(
        unit=world.unit, about="Personalen", change="Jag vill att Anna ringer.", language="sv"
    )
    assert suggestion.may_hold_name
    page = login(world.unit_contact).get(
        reverse("suggestions:moderate", args=[world.unit.pk, suggestion.pk])
    )
    assert "may contain a name" in page.content.decode() or "namn" in page.content.decode()


# Who may moderate ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "person, status",
    [
        ("unit_contact", 200),
        ("client_contact", 200),
        ("admin", 200),
        ("other_unit_contact", 403),
        ("other_client_contact", 403),
        ("coordinator", 403),
        ("outsider", 403),
    ],
)
def test_only_the_units_contacts_its_clients_contacts_and_admins_moderate(
    login, world, person, status
):
    suggestion = _suggestion(world.unit)
    client = login(getattr(world, person))
    queue = client.get(reverse("suggestions:queue", args=[world.unit.pk]))
    assert queue.status_code == status
    post = _moderate(client, suggestion, decision="approved", answer="Svar")
    assert post.status_code == (302 if status == 200 else 403)
    suggestion.refresh_from_db()
    assert (suggestion.status == Suggestion.Status.APPROVED) == (status == 200)


def test_anonymous_people_are_sent_to_sign_in_for_the_queue(client, world):
    response = client.get(reverse("suggestions:queue", args=[world.unit.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_list_of_queues_shows_only_ones_own_units(login, world):
    _suggestion(world.unit)
    page = login(world.unit_contact).get(reverse("suggestions:queues")).content.decode()
    assert "Boendestöd" in page and "BUP Norr" not in page


# Counts per quality area and quarter --------------------------------------------------------


def _last_quarter_day(offset=5):
    return Quarter.of(timezone.localdate()).previous().first_day + datetime.timedelta(days=offset)


def test_counts_under_the_threshold_hide_the_quarters_areas_but_not_its_total(client, world):
    for _ in range(6):
        _suggestion(world.unit, area=QualityArea.TREATMENT, created_on=_last_quarter_day())
    for _ in range(2):
        _suggestion(world.unit, area=QualityArea.INFORMATION, created_on=_last_quarter_day())
    for _ in range(7):
        _suggestion(world.unit, area=QualityArea.SUPPORT, created_on=_last_quarter_day())
    table = selectors.quarter_counts(world.unit)
    column = table.columns[-1]
    assert column.total == 15
    # 2 is under the threshold; showing 6 or 7 beside the total would give it away.
    assert all(value is None for value in column.counts.values())
    wall = client.get(reverse("suggestions:wall", args=[world.unit.pk])).content.decode()
    assert "<td>15</td>" in wall
    assert "<td>2</td>" not in wall and "<td>6</td>" not in wall and "<td>7</td>" not in wall


def test_a_quarter_with_only_large_groups_shows_every_area(world):
    for _ in range(5):
        _suggestion(world.unit, area=QualityArea.TREATMENT, created_on=_last_quarter_day())
    for _ in range(6):
        _suggestion(world.unit, area=QualityArea.SUPPORT, created_on=_last_quarter_day())
    column = selectors.quarter_counts(world.unit).columns[-1]
    assert column.counts[QualityArea.TREATMENT] == 5 and column.counts[QualityArea.SUPPORT] == 6
    assert column.counts[QualityArea.GOALS] == 0 and column.total == 11


def test_a_quarter_with_fewer_suggestions_than_the_threshold_shows_no_figures(world):
    for _ in range(3):
        _suggestion(world.unit, area=QualityArea.TREATMENT, created_on=_last_quarter_day())
    column = selectors.quarter_counts(world.unit).columns[-1]
    assert column.total is None
    assert all(value is None for value in column.counts.values())


def test_the_public_sees_only_quarters_that_are_over(client, login, world):
    for _ in range(5):
        _suggestion(world.unit, area=QualityArea.TREATMENT)  # today
    public = selectors.quarter_counts(world.unit)
    assert Quarter.of(timezone.localdate()) not in [c.quarter for c in public.columns]
    staff = selectors.quarter_counts(world.unit, include_current=True)
    assert staff.columns[-1].quarter == Quarter.of(timezone.localdate())
    assert staff.columns[-1].total == 5


def _compositions(total: int, parts: int):
    if parts == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in _compositions(total - first, parts - 1):
            yield (first, *rest)


def _what_an_attacker_can_work_out(counts: dict, total: int, limit: int) -> list[dict]:
    """Every filling of the hidden cells (zero or more each) that adds up to the shown total
    and that the rule itself would have shown exactly as it is shown: all someone who sees
    the table and knows the rule can conclude."""
    hidden = [code for code, value in counts.items() if value is None]
    rest = total - sum(value for value in counts.values() if value is not None)
    found = []
    for values in _compositions(rest, len(hidden)):
        guess = {**counts, **dict(zip(hidden, values, strict=True))}
        shown, shown_total, _hidden = selectors.suppress_quarter(guess, limit)
        if shown == counts and shown_total == total:
            found.append(dict(zip(hidden, values, strict=True)))
    return found


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    sizes=st.dictionaries(
        st.sampled_from([*QualityArea.values, ""]), st.integers(0, 6), min_size=1, max_size=4
    ),
    limit=st.integers(3, 6),
)
def test_no_combination_of_shown_counts_and_totals_reveals_a_hidden_cell(sizes, limit):
    counts, total, hidden = selectors.suppress_quarter(sizes, limit)
    if total is None:
        # Nothing of the quarter is shown, not even its total.
        assert all(value is None for value in counts.values())
        assert 0 < sum(sizes.values()) < limit
        return
    assert total == sum(sizes.values())
    for code, value in counts.items():
        if value is not None:
            assert value == sizes[code]
            assert value == 0 or value >= limit  # nothing under the threshold is shown
    if not hidden:
        return
    assert len([code for code in hidden if sizes[code]]) >= 1
    solutions = _what_an_attacker_can_work_out(counts, total, limit)
    assert {code: sizes[code] for code in hidden} in solutions
    for code in hidden:
        # No hidden cell can be pinned down: it could hold at least two different numbers.
        assert len({solution[code] for solution in solutions}) >= 2, (sizes, limit, solutions)


def test_quarters_are_separate_and_no_total_across_them_is_shown(world):
    for days in (5, 100):
        for _ in range(5):
            _suggestion(
                world.unit,
                area=QualityArea.TREATMENT,
                created_on=_last_quarter_day() - datetime.timedelta(days=days),
            )
    table = selectors.quarter_counts(world.unit)
    # One value per quarter in each row, and no row total that could be subtracted.
    assert all(len(values) == len(table.columns) for _label, values in table.rows)


# Sending on to a council ----------------------------------------------------------------


def test_an_approved_suggestion_becomes_a_council_issue(login, world):
    pytest.importorskip("brukarrevision.councils.services")
    from brukarrevision.councils.models import Body, Issue

    body = Body.objects.create(
        organisation=world.client, unit=world.unit, kind="user_council", name="Brukarrådet"
    )
    suggestion = _suggestion(world.unit)
    client = login(world.unit_contact)
    _moderate(client, suggestion, decision="approved", answer="Vi tar upp det i brukarrådet.")
    page = client.get(reverse("suggestions:moderate", args=[world.unit.pk, suggestion.pk]))
    assert "Make this a council issue" in page.content.decode() or "fråga" in page.content.decode()
    response = client.post(
        reverse("suggestions:to_council", args=[world.unit.pk, suggestion.pk]), {"body": body.pk}
    )
    assert response.status_code == 302
    issue = Issue.objects.get(suggestion=suggestion)
    assert issue.body == body and issue.unit == world.unit
    suggestion.refresh_from_db()
    assert suggestion.sent_to_council_at is not None


def test_the_council_button_is_hidden_for_a_suggestion_waiting_for_moderation(login, world):
    suggestion = _suggestion(world.unit)
    page = login(world.unit_contact).get(
        reverse("suggestions:moderate", args=[world.unit.pk, suggestion.pk])
    )
    assert reverse("suggestions:to_council", args=[world.unit.pk, suggestion.pk]) not in (
        page.content.decode()
    )


# The poster ------------------------------------------------------------------------------


def test_the_poster_has_a_qr_code_to_the_box_and_a_print_stylesheet(client, world):
    page = client.get(reverse("suggestions:poster", args=[world.unit.pk])).content.decode()
    assert 'src="data:image/svg+xml;base64,' in page
    assert f"/suggestions/{world.unit.pk}/" in page
    assert "suggestions/poster.css" in page
    assert "Vad tycker du?" in page
