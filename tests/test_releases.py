"""Releases: what people outside the team see is frozen until the next release; a later
release never reveals by difference what a few respondents answered; comparisons across
audits and every client output leave Träffpunkten's figures underivable; published reports
are stored files that later answers never change."""

import csv
import hashlib
import io
import itertools
import random
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from brukarrevision.accounts.models import User
from brukarrevision.analysis import results
from brukarrevision.audits.models import Audit
from brukarrevision.collection import demo as collection_demo
from brukarrevision.collection import services as collection
from brukarrevision.collection.models import Channel
from brukarrevision.instruments import selectors as instrument_selectors
from brukarrevision.releases import selectors, services
from brukarrevision.releases.models import Release
from brukarrevision.reports import comparison
from brukarrevision.reports import services as report_services
from brukarrevision.reports.models import Edition


def person(email):
    return User.objects.get(email=email)


def audit(slug="demo"):
    return Audit.objects.get(slug=slug)


def questionnaire(slug="demo"):
    return instrument_selectors.questionnaires(audit(slug)).get()


def add_responses(slug: str, unit_name: str, count: int, seed: int = 1) -> None:
    """`count` paper forms typed in for `unit_name`."""
    found, rng = audit(slug), random.Random(seed)
    unit = found.units.get(name__startswith=unit_name)
    for number in range(count):
        collection.submit_response(
            instrument=questionnaire(slug),
            unit=unit,
            target_group=found.target_groups.get(kind="users"),
            channel=Channel.PAPER,
            language="sv",
            answers=collection_demo._answers(questionnaire(slug), rng),
            submission_key=f"late-{slug}-{unit_name}-{seed}-{number}",
        )


def release(slug="demo", note=""):
    return services.make_release(
        user=person("samordnare@demo.example"), audit=audit(slug), note=note
    )


def readable(response) -> object:
    """What a person gets: page text without its one-time form tokens, or a sheet's cells."""
    if response["Content-Type"].startswith("text/html"):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    if "spreadsheetml" in response["Content-Type"]:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(response.content)).active
        return list(sheet.iter_rows(values_only=True))
    return response.content


def signed_in(client, email):
    client.force_login(person(email))
    return client


# Frozen until the next release ---------------------------------------------------------------


def test_a_client_reads_the_same_results_when_one_more_person_answers(demo_data, client):
    signed_in(client, "bestallare@demo.example")
    pages = [
        "/audits/demo/results/",
        "/audits/demo/results/?by=unit",
        "/audits/demo/results/?by=channel",
    ]
    files = ["/audits/demo/results/results.csv?by=unit", "/audits/demo/results/results.xlsx"]
    before = [readable(client.get(path)) for path in pages + files]
    add_responses("demo", "Boendestöd", 1)
    after = [readable(client.get(path)) for path in pages + files]
    assert after == before


def test_a_release_after_fewer_new_answers_than_the_threshold_keeps_the_figures(demo_data, client):
    signed_in(client, "bestallare@demo.example")
    files = [f"/audits/demo/results/results.csv?by={by}" for by in ("", "unit", "channel")]
    first = [client.get(path).content for path in files]
    add_responses("demo", "Boendestöd", 2)
    second = release(note="Två sena pappersenkäter")
    assert second.number == 2
    assert [client.get(path).content.replace(b"utgava-2", b"utgava-1") for path in files] == first
    entry = selectors.entry_for(second)[1]
    assert entry["breakdowns"][""]["basis"] == 1 and entry["breakdowns"]["unit"]["basis"] == 1
    page = client.get("/audits/demo/results/?by=unit").content.decode()
    assert "utgåva 1" in page or "release 1" in page


def test_enough_new_answers_update_the_figures_and_the_small_unit_stays_hidden(demo_data):
    add_responses("demo", "Boendestöd", 6)
    made = release()
    entry = selectors.entry_for(made)[1]
    assert entry["breakdowns"][""]["basis"] == made.number
    assert entry["breakdowns"][""]["respondents"] == 30
    units = {g["label"]: g for g in entry["breakdowns"]["unit"]["groups"]}
    assert (
        units["Träffpunkten Åsby"]["hidden"] and units["Träffpunkten Åsby"]["respondents"] is None
    )


def test_a_release_is_immutable_and_its_checksum_covers_its_stamps(demo_data):
    made = Release.objects.get(audit__slug="demo", number=1)
    assert made.intact
    with pytest.raises(ValidationError):
        made.save()
    with pytest.raises(ValidationError):
        made.delete()
    Release.objects.filter(pk=made.pk).update(threshold=3)  # tampering in the database
    made.refresh_from_db()
    assert not made.intact


def test_a_release_with_nothing_new_is_refused(demo_data):
    with pytest.raises(ValidationError):
        release()
    add_responses("demo", "Boendestöd", 1)
    changes = {c.breakdown: (c.what, c.waiting) for c in services.preview(audit()).changes}
    assert changes["Verksamhet"] == ("kept", 1)


def test_the_preview_shows_what_would_change_and_a_stale_preview_is_refused(demo_data):
    add_responses("demo", "Boendestöd", 5)
    seen = services.preview(audit())
    assert seen.new_responses == 5
    changes = {c.breakdown: c.what for c in seen.changes}
    assert changes["Ingen uppdelning"] == "refreshed"
    add_responses("demo", "Boendestöd", 1, seed=2)
    with pytest.raises(ValidationError):
        services.make_release(
            user=person("samordnare@demo.example"), audit=audit(), expected=seen.digest
        )


def test_only_the_audits_coordinator_makes_releases_and_only_the_team_sees_hidden_ns(
    demo_data, client
):
    for email in ["bestallare@demo.example", "verksamhet@demo.example", "revisor@demo.example"]:
        with pytest.raises(PermissionDenied):
            services.make_release(user=person(email), audit=audit())
    expected = {
        "bestallare@demo.example": (403, 403, 403),
        "verksamhet@demo.example": (403, 403, 403),
        "region@demo.example": (404, 404, 404),  # another tenant: not even there
        "revisor@demo.example": (200, 200, 403),
        "samordnare@demo.example": (200, 200, 200),
    }
    for email, codes in expected.items():
        signed_in(client, email)
        paths = [
            "/audits/demo/results/releases/",
            "/audits/demo/results/releases/1/",
            "/audits/demo/results/releases/new/",
        ]
        assert tuple(client.get(path).status_code for path in paths) == codes, email


def test_the_team_sees_every_hidden_cell_and_why_in_plain_words(demo_data, client):
    signed_in(client, "samordnare@demo.example")
    html = client.get("/audits/demo/results/releases/1/").content.decode()
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    text = {re.sub(r"<[^>]+>|\s+", " ", row).strip() for row in rows}
    small = next(row for row in text if "Träffpunkten Åsby" in row and "Verksamhet" in row)
    large = next(row for row in text if "Boendestöd Åsby" in row and "Verksamhet" in row)
    assert " 3 " in small and "färre än 5 svarande" in small
    assert " 21 " in large and "dold för att skydda en mindre grupp" in large
    assert "färre än 5" not in large


def test_before_the_first_release_outsiders_see_progress_and_no_content(demo_data, client):
    Release.objects.filter(audit__slug="demo-2027").delete()
    signed_in(client, "bestallare@demo.example")
    html = client.get("/audits/demo-2027/results/").content.decode()
    assert "12" in html  # answers so far
    item = results.result_items(questionnaire("demo-2027"))[0]
    assert item.code not in html and "%" not in html
    assert client.get("/audits/demo-2027/results/results.csv").status_code == 404


# No combination of outputs reveals Träffpunkten ---------------------------------------------


def vector(answered: int, counts: dict) -> frozenset:
    """A group's figures for one question: how many answered and how many gave each answer."""
    return frozenset({("n", answered), *((k, v) for k, v in counts.items() if v)})


def minus(first: frozenset, second: frozenset) -> frozenset:
    a, b = dict(first), dict(second)
    return frozenset(
        (k, a.get(k, 0) - b.get(k, 0)) for k in a.keys() | b.keys() if a.get(k, 0) != b.get(k, 0)
    )


def _vectors_from_release(made: Release) -> dict[str, list[frozenset]]:
    """Every published vector per question: each total and shown group in every breakdown."""
    found: dict[str, list[frozenset]] = {}
    for _pk, entry in selectors.entries(made):
        for table in entry["breakdowns"].values():
            for code, figures in table["items"].items():
                for data in [figures["total"], *figures["groups"].values()]:
                    found.setdefault(code, []).append(vector(data["answered"], data["counts"]))
    return found


def _vectors_from_export(data: bytes, values: dict[str, dict]) -> dict[str, list[frozenset]]:
    """The same vectors read back from a client export (CSV)."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[1:]
    grouped: dict[tuple, dict] = {}
    for row in rows:
        code, group, label, count, answered = row[0], row[3], row[4], row[5], row[7]
        if not answered.isdigit():
            continue
        entry = grouped.setdefault((code, group), {"answered": int(answered), "counts": {}})
        if count.isdigit():
            entry["counts"][values.get(code, {}).get(label, label)] = int(count)
    found: dict[str, list[frozenset]] = {}
    for (code, _group), entry in grouped.items():
        found.setdefault(code, []).append(vector(entry["answered"], entry["counts"]))
    return found


def test_no_subtraction_of_released_reported_or_exported_figures_gives_traffpunkten(
    demo_data, client
):
    """Every figure people outside the team get for demo and demo-2027 (both releases, every
    breakdown, both client exports, both reports' tables, the comparison), then every
    difference of two: none equals Träffpunkten's own figures for any question."""
    instrument = questionnaire()
    truth = {}
    for result in results.item_results(instrument, by="unit"):
        group = next((g for g in result.groups if g.label == "Träffpunkten Åsby"), None)
        if group is not None and group.answered and not result.is_text:
            truth[result.code] = vector(group.answered, group.counts)
    assert truth, "Träffpunkten answered the demo questionnaire"

    published: dict[str, list[frozenset]] = {}
    for slug in ("demo", "demo-2027"):
        for code, vectors in _vectors_from_release(selectors.latest(audit(slug))).items():
            published.setdefault(code, []).extend(vectors)
    signed_in(client, "bestallare@demo.example")
    labels = {
        r.code: {str(label): value for value, label in r.values + r.specials}
        for r in results.item_results(instrument)
    }
    for slug in ("demo", "demo-2027"):
        for by in ("", "unit", "target_group", "channel", "respondent"):
            data = client.get(f"/audits/{slug}/results/results.csv?by={by}").content
            for code, vectors in _vectors_from_export(data, labels).items():
                published.setdefault(code, []).extend(vectors)

    for code, own in truth.items():
        vectors = set(published.get(code, []))
        assert own not in vectors, code
        for first, second in itertools.permutations(vectors, 2):
            assert minus(first, second) != own, (code, first, second)

    compared = comparison.items_table(audit(), audit("demo-2027"))
    assert "Träffpunkten Åsby" in compared.earlier_heading  # the whole earlier audit
    shares = {}
    for result in selectors.rebuild(selectors.entry_for(selectors.latest(audit()))[1], ""):
        if result.is_scale:
            shares[result.text] = result.positive_share(result.total)
    for text, was, _now, _change in compared.rows:
        if text in shares and shares[text] is not None:
            assert was == f"{shares[text]:.1f} %".replace(".", ",")  # the released total


def test_the_reports_show_no_figure_for_traffpunkten(demo_data):
    from brukarrevision.reports import document

    for slug in ("demo", "demo-2027"):
        built = document.build(audit(slug))
        for block in built.blocks:
            table = getattr(block, "table", None) if block.kind == "figure" else block
            if getattr(table, "kind", "") != "table":
                continue
            for row in table.rows:
                if row and "Träffpunkten" in row[0]:
                    assert not any(cell.isdigit() for cell in row[1:]), row


# Published reports are frozen -----------------------------------------------------------------


def test_published_files_stay_byte_identical_when_more_answers_arrive(demo_data, client):
    before_page = client.get("/public/demo/").content.decode()
    files = [
        "/public/demo/report.pdf",
        "/public/demo/report.docx",
        "/public/demo/report.html",
        "/public/demo/report.pdf?easy=1",
        "/public/demo/report.pdf?version=1",
    ]
    before = [client.get(path).content for path in files]
    add_responses("demo", "Boendestöd", 8)
    release(note="Sena pappersenkäter")
    assert [client.get(path).content for path in files] == before
    edition = Edition.objects.get(report__audit__slug="demo", replaced_at=None)
    assert edition.page in client.get("/public/demo/").content.decode()
    assert edition.page in before_page
    stored = edition.file("pdf", False)
    assert hashlib.sha256(before[0]).hexdigest() == stored.sha256


def test_a_correction_is_a_new_version_with_its_note_and_the_old_one_stays(demo_data, client):
    report = audit().report
    coordinator, auditor = person("samordnare@demo.example"), person("revisor@demo.example")
    old_pdf = client.get("/public/demo/report.pdf").content
    report_services.back_to_draft(user=coordinator, report=report, note="Fel siffra")
    report_services.submit_for_review(user=auditor, report=report)
    with pytest.raises(ValidationError):
        report_services.publish(user=coordinator, report=report)  # no change note
    report_services.publish(user=coordinator, report=report, note="Rättat antalet svarande.")
    numbers = list(report.editions.order_by("number").values_list("number", "replaced_at"))
    assert [n for n, _r in numbers] == [1, 2, 3]
    assert numbers[0][1] and numbers[1][1] and numbers[2][1] is None
    page = client.get("/public/demo/").content.decode()
    assert "Rättat antalet svarande." in page and "ersatt" in page
    assert client.get("/public/demo/report.pdf?version=2").content == old_pdf


def test_a_report_cannot_be_published_before_the_results_are_released(demo_data):
    target = audit("demo-2027")
    Release.objects.filter(audit=target).delete()
    report = target.report
    report_services.submit_for_review(user=person("revisor@demo.example"), report=report)
    with pytest.raises(ValidationError):
        report_services.publish(user=person("samordnare@demo.example"), report=report)


def test_the_demo_has_a_release_per_collecting_audit_and_a_corrected_report(demo_data):
    assert Release.objects.filter(audit__slug="demo").count() == 1
    assert Release.objects.filter(audit__slug="demo-2027").count() == 1
    editions = list(Edition.objects.filter(report__audit__slug="demo").order_by("number"))
    assert [e.number for e in editions] == [1, 2]
    assert editions[0].replaced_at is not None and editions[1].note
    assert all(e.files.count() == 6 for e in editions)
