"""REFI-QDA exchange: the codebook (.qdc) and the coded material (.qdpx) travel to QualCoder,
NVivo, MAXQDA and ATLAS.ti and back, valid against the standard's schemas, with the same GUIDs
every time."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from lxml import etree

from brukarrevision.accounts.models import SecurityEvent, User
from brukarrevision.analysis import codebook, services
from brukarrevision.analysis.models import Code, Coding, Theme
from brukarrevision.analysis.refi_qda import project
from brukarrevision.audits.models import Audit

SCHEMAS = Path(codebook.__file__).parent / "refi_qda"
CODEBOOK_NS = {"c": "urn:QDA-XML:codebook:1.0"}
PROJECT_NS = {"p": "urn:QDA-XML:project:1.0"}
PAGE = "/audits/demo/analysis/codebook/"


def valid(document: bytes, xsd: str) -> list[str]:
    """The schema's complaints about `document`; empty when it is valid."""
    checker = etree.XMLSchema(etree.parse(str(SCHEMAS / xsd)))
    checker.validate(etree.fromstring(document))
    return [f"{error.line}: {error.message}" for error in checker.error_log]


def person(email: str) -> User:
    return User.objects.get(email=email)


def demo() -> Audit:
    return Audit.objects.get(slug="demo")


def other_audit() -> Audit:
    return Audit.objects.get(slug="norrtorp-psykiatri-2025")


def coordinator_of(audit: Audit) -> User:
    return audit.members.get(role="coordinator").user


def dress_up(audit: Audit) -> None:
    """Colours on codes and themes, as auditors would set them in another program."""
    user = person("revisor@demo.example")
    for number, code in enumerate(Code.objects.filter(audit=audit).select_related("theme")):
        services.save_code(
            user=user,
            audit=audit,
            code=code,
            name=code.name,
            description=code.description,
            theme=code.theme.name,
            quality_areas=code.quality_areas,
            color=f"#a1b2{number:02d}",
        )
        services.save_theme(
            user=user, audit=audit, theme=code.theme, name=code.theme.name, color="#F70"
        )


def codebook_as_seen(audit: Audit) -> set:
    return {
        (c.name, c.description, c.color, c.theme.name, c.theme.description, c.theme.color,
         tuple(c.quality_areas))
        for c in Code.objects.filter(audit=audit).select_related("theme")
    }  # fmt: skip


def codings_as_seen(audit: Audit) -> set:
    return {
        (c.code.name, c.answer_id, c.coder.email, c.start, c.end, c.passage, c.is_quote)
        for c in Coding.objects.filter(code__audit=audit).select_related("code", "coder")
    }


def guids(document: bytes, namespaces: dict) -> dict[str, str]:
    root = etree.fromstring(document)
    return {e.get("name"): e.get("guid") for e in root.iterfind(".//c:Code", namespaces)}


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def qdpx(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# The codebook -------------------------------------------------------------------------------------


def test_the_demo_codebook_and_an_empty_one_follow_the_refi_qda_schema(demo_data):
    dress_up(demo())
    exported = codebook.export_qdc(demo())
    assert valid(exported, "Codebook.xsd") == []
    root = etree.fromstring(exported)
    themes = root.findall("c:Codes/c:Code", CODEBOOK_NS)
    assert themes and all(t.get("isCodable") == "false" for t in themes)
    assert {t.get("color") for t in themes} == {"#ff7700"}
    assert root.findall("c:Sets/c:Set/c:MemberCode", CODEBOOK_NS)

    Code.objects.filter(audit=other_audit()).delete()
    Theme.objects.filter(audit=other_audit()).delete()
    empty = codebook.export_qdc(other_audit())
    assert valid(empty, "Codebook.xsd") == []
    added = codebook.import_codebook(
        user=coordinator_of(other_audit()), audit=other_audit(), data=empty, filename="e.qdc"
    )
    assert added == 0 and not Theme.objects.filter(audit=other_audit()).exists()


def test_two_exports_give_every_code_and_theme_the_same_guid(demo_data):
    first = guids(codebook.export_qdc(demo()), CODEBOOK_NS)
    second = guids(codebook.export_qdc(demo()), CODEBOOK_NS)
    assert first == second
    stored = {c.name: str(c.guid) for c in Code.objects.filter(audit=demo())}
    stored |= {t.name: str(t.guid) for t in Theme.objects.filter(audit=demo())}
    assert first == stored and len(set(first.values())) == len(first)


def test_a_qdc_round_trip_keeps_themes_colours_descriptions_and_quality_areas(demo_data):
    dress_up(demo())
    exported = codebook.export_qdc(demo())
    target = other_audit()
    Code.objects.filter(audit=target).delete()
    Theme.objects.filter(audit=target).delete()
    added = codebook.import_codebook(
        user=coordinator_of(target), audit=target, data=exported, filename="demo.qdc"
    )
    assert added == Code.objects.filter(audit=demo()).count()
    assert codebook_as_seen(target) == codebook_as_seen(demo())
    assert valid(codebook.export_qdc(target), "Codebook.xsd") == []


def test_a_code_changed_in_another_program_comes_back_by_its_guid(demo_data):
    audit = demo()
    code = Code.objects.filter(audit=audit).first()
    exported = codebook.export_qdc(audit).replace(
        f'name="{code.name}"'.encode(), b'name="Nytt namn"'
    )
    before = Code.objects.filter(audit=audit).count()
    done = codebook.import_file(
        user=person("revisor@demo.example"), audit=audit, data=exported, filename="back.qdc"
    )
    assert (done.added, done.updated) == (0, before)
    code.refresh_from_db()
    assert code.name == "Nytt namn" and Code.objects.filter(audit=audit).count() == before
    assert code.codings.exists()  # the codings stay with the renamed code


QUALCODER_SETS = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="QualCoder 3.6">
  <Codes>
    <Code guid="{6F1C2D3E-0000-4000-8000-00000000000A}" name="Personal" isCodable="true"
        color="#F781F3">
      <Description>Allt om personalen</Description>
      <Code guid="6f1c2d3e-0000-4000-8000-00000000000b" name="Bemotande" isCodable="true"
          color="#81F7D8"/>
    </Code>
  </Codes>
  <Sets>
    <Set guid="6f1c2d3e-0000-4000-8000-0000000000c1" name="Bemötande">
      <MemberCode guid="6f1c2d3e-0000-4000-8000-00000000000b"/>
    </Set>
    <Set guid="6f1c2d3e-0000-4000-8000-0000000000c2" name="Favoriter">
      <MemberCode guid="6f1c2d3e-0000-4000-8000-00000000000a"/>
    </Set>
  </Sets>
</CodeBook>""".encode()


def test_codes_that_hold_codes_become_a_theme_and_sets_named_as_quality_areas_map(demo_data):
    audit = other_audit()
    done = codebook.import_file(
        user=coordinator_of(audit), audit=audit, data=QUALCODER_SETS, filename="qc.qdc"
    )
    assert done.added == 2 and done.sets_ignored == ["Favoriter"]
    parent = Code.objects.get(audit=audit, name="Personal")
    child = Code.objects.get(audit=audit, name="Bemotande")
    assert parent.theme.name == child.theme.name == "Personal"
    assert str(parent.guid) == "6f1c2d3e-0000-4000-8000-00000000000a"
    assert (child.color, parent.color) == ("#81f7d8", "#f781f3")
    assert child.quality_areas == ["treatment"] and parent.quality_areas == []
    assert parent.theme.description == "Allt om personalen"


# The project ------------------------------------------------------------------------------------


def test_the_project_follows_the_schema_and_holds_every_answer_and_coding(demo_data):
    audit = demo()
    files = unzip(project.export_qdpx(user=person("revisor@demo.example"), audit=audit))
    qde = files["project.qde"]
    assert valid(qde, "Project.xsd") == []
    root = etree.fromstring(qde)
    sources = root.findall("p:Sources/p:TextSource", PROJECT_NS)
    texts = {
        files[f"sources/{s.get('plainTextPath').removeprefix('internal://')}"].decode()
        for s in sources
    }
    assert texts == {a.text for a in services.material(audit)}
    selections = root.findall(".//p:PlainTextSelection", PROJECT_NS)
    assert len(selections) == Coding.objects.filter(code__audit=audit).count()
    users = {u.get("id") for u in root.findall("p:Users/p:User", PROJECT_NS)}
    assert users == {"revisor@demo.example", "revisor2@demo.example"}
    code_guids = {e.get("guid") for e in root.iterfind(".//p:Code", PROJECT_NS)}
    assert {c.get("targetGUID") for c in root.iterfind(".//p:CodeRef", PROJECT_NS)} <= code_guids
    again = unzip(project.qdpx_bytes(audit))["project.qde"]
    assert all_guids(again) == all_guids(qde)  # codes, users, sources, passages: all stable

    Code.objects.filter(audit=other_audit()).delete()
    Theme.objects.filter(audit=other_audit()).delete()
    assert valid(unzip(project.qdpx_bytes(other_audit()))["project.qde"], "Project.xsd") == []


def all_guids(document: bytes) -> list[str]:
    return [e.get("guid") for e in etree.fromstring(document).iter() if e.get("guid")]


def test_a_project_round_trip_keeps_codes_and_coded_passages(demo_data):
    audit = demo()
    dress_up(audit)
    codes_before, codings_before = codebook_as_seen(audit), codings_as_seen(audit)
    exported = project.export_qdpx(user=person("revisor@demo.example"), audit=audit)
    Code.objects.filter(audit=audit).delete()
    Theme.objects.filter(audit=audit).delete()
    assert not Coding.objects.filter(code__audit=audit).exists()
    done = project.import_qdpx(user=person("revisor2@demo.example"), audit=audit, data=exported)
    assert done.segments == len(codings_before) and done.skipped_not_in_audit == 0
    assert codebook_as_seen(audit) == codes_before
    assert codings_as_seen(audit) == codings_before  # each auditor's own, quotes kept
    again = project.import_qdpx(user=person("revisor2@demo.example"), audit=audit, data=exported)
    assert again.codes_added == 0 and codings_as_seen(audit) == codings_before


def qualcoder_project(answer_text: str) -> bytes:
    """A project as QualCoder writes it: a category with a code, one source that is a demo
    answer (plain text with a byte order mark) and one that is not, a coder not in the team."""
    start = 0
    end = min(len(answer_text), 12)
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns:xsd="http://www.w3.org/2001/XMLSchema"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="intervjuer.qda"
  origin="QualCoder 3.6" creatingUserGUID="1a2b3c4d-0000-4000-8000-000000000001"
  xmlns="urn:QDA-XML:project:1.0">
<Users>
<User guid="1a2b3c4d-0000-4000-8000-000000000001" name="kodaren" />
</Users>
<CodeBook>
<Codes>
<Code guid="1a2b3c4d-0000-4000-8000-0000000000a0" name="Vardag" isCodable="false">
<Description>Stödet i vardagen</Description>
<Code guid="1a2b3c4d-0000-4000-8000-0000000000a1" name="Trygghet" isCodable="true"
  color="#81F7D8" />
</Code>
</Codes>
</CodeBook>
<Sources>
<TextSource plainTextPath="internal://1a2b3c4d-0000-4000-8000-0000000000b1.txt"
  creatingUser="1a2b3c4d-0000-4000-8000-000000000001" creationDateTime="2026-05-04T10:00:00Z"
  guid="1a2b3c4d-0000-4000-8000-0000000000b1" name="svar.txt">
<PlainTextSelection guid="1a2b3c4d-0000-4000-8000-0000000000c1" startPosition="{start}"
  endPosition="{end}" name="x" creatingUser="1a2b3c4d-0000-4000-8000-000000000001"
  creationDateTime="2026-05-04T10:00:00Z">
<Coding guid="1a2b3c4d-0000-4000-8000-0000000000d1"
  creatingUser="1a2b3c4d-0000-4000-8000-000000000001" >
<CodeRef targetGUID="1a2b3c4d-0000-4000-8000-0000000000a1" />
</Coding>
</PlainTextSelection>
</TextSource>
<TextSource plainTextPath="internal://1a2b3c4d-0000-4000-8000-0000000000b2.txt"
  guid="1a2b3c4d-0000-4000-8000-0000000000b2" name="annat.txt">
<PlainTextSelection guid="1a2b3c4d-0000-4000-8000-0000000000c2" startPosition="0"
  endPosition="4">
<Coding guid="1a2b3c4d-0000-4000-8000-0000000000d2">
<CodeRef targetGUID="1a2b3c4d-0000-4000-8000-0000000000a1" />
</Coding>
</PlainTextSelection>
</TextSource>
</Sources>
</Project>"""
    return qdpx(
        {
            "project.qde": qde.encode(),
            "sources/1a2b3c4d-0000-4000-8000-0000000000b1.txt": answer_text.encode("utf-8-sig"),
            "sources/1a2b3c4d-0000-4000-8000-0000000000b2.txt": b"Ett annat svar",
        }
    )


def test_a_qualcoder_project_brings_its_codes_and_the_passages_of_this_audits_answers(
    demo_data,
):
    audit = demo()
    # Several respondents can write the same words; the passage goes to the first of them.
    answer = next(a for a in services.material(audit) if len(a.text) > 12)
    importer = person("revisor2@demo.example")
    done = project.import_qdpx(user=importer, audit=audit, data=qualcoder_project(answer.text))
    assert (done.codes_added, done.segments, done.skipped_not_in_audit) == (1, 1, 1)
    code = Code.objects.get(audit=audit, name="Trygghet")
    assert (code.theme.name, code.theme.description, code.color) == (
        "Vardag", "Stödet i vardagen", "#81f7d8",
    )  # fmt: skip
    coding = Coding.objects.get(code=code)
    assert (coding.answer, coding.coder, coding.start) == (answer, importer, 0)
    assert coding.passage == answer.text[:12]


def test_only_the_audit_team_downloads_the_project_and_each_download_is_logged(demo_data, client):
    url = "/audits/demo/analysis/codebook/project.qdpx"
    client.force_login(person("bestallare@demo.example"))
    assert client.get(url).status_code == 403
    with pytest.raises(PermissionDenied):
        project.export_qdpx(user=person("bestallare@demo.example"), audit=demo())
    client.force_login(person("revisor@demo.example"))
    before = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.RAW_DATA_EXPORTED).count()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="demo-projekt.qdpx"'
    assert "project.qde" in unzip(response.content)
    logged = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.RAW_DATA_EXPORTED)
    assert logged.count() == before + 1
    assert logged.latest("pk").user == person("revisor@demo.example")


def bomb() -> bytes:
    qde = b'<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>'
    return qdpx({"project.qde": qde, "sources/big.txt": b"\0" * (51 * 1024 * 1024)})


BAD_FILES = {
    "not-a-zip": (b"%PDF-1.7 not a zip", "not a zip"),
    "no-project": (qdpx({"sources/a.txt": b"hej"}), "no REFI-QDA project"),
    "broken-xml": (qdpx({"project.qde": b"<Project xmlns="}), "not readable XML"),
    "entities": (
        qdpx({"project.qde": b'<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'}),
        "document type",
    ),
    "schema": (
        qdpx({"project.qde": b'<Project xmlns="urn:QDA-XML:project:1.0"><Nonsense/></Project>'}),
        "does not follow the REFI-QDA schema",
    ),
    "bomb": (None, "too large"),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_bad_project_file_gets_a_message_and_changes_nothing(demo_data, client, kind):
    data, message = BAD_FILES[kind]
    client.force_login(person("revisor@demo.example"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    before = (Code.objects.count(), Coding.objects.count())
    upload = SimpleUploadedFile("projekt.qdpx", data if data is not None else bomb())
    response = client.post(PAGE, {"import_project": "1", "project-file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "error-summary" in page and message in page
    assert (Code.objects.count(), Coding.objects.count()) == before


def test_the_project_and_codebook_imports_work_from_the_page_without_javascript(demo_data, client):
    exported = project.qdpx_bytes(demo())
    Code.objects.filter(audit=demo()).delete()
    client.force_login(person("revisor@demo.example"))
    upload = SimpleUploadedFile("demo.qdpx", exported)
    response = client.post(PAGE, {"import_project": "1", "project-file": upload}, follow=True)
    assert response.status_code == 200 and "error-summary" not in response.content.decode()
    assert Coding.objects.filter(code__audit=demo()).exists()
    page = client.get(PAGE).content.decode()
    assert 'name="project-file"' in page and 'for="id_project-file"' in page
    assert 'name="file"' in page and "project.qdpx" in page


# Commands ---------------------------------------------------------------------------------------


def test_the_commands_export_and_import_codebooks_and_projects(demo_data, tmp_path):
    out = io.StringIO()
    for fmt in ("qdc", "csv", "qdpx"):
        call_command(
            "export_codebook", "--audit", "demo", "--format", fmt,
            "--out", str(tmp_path / f"demo.{fmt}"), "--user", "revisor@demo.example", stdout=out,
        )  # fmt: skip
    assert valid((tmp_path / "demo.qdc").read_bytes(), "Codebook.xsd") == []
    codings_before = codings_as_seen(demo())
    Code.objects.filter(audit=demo()).delete()
    call_command(
        "import_codebook", str(tmp_path / "demo.qdpx"), "--audit", "demo",
        "--user", "revisor@demo.example", stdout=out,
    )  # fmt: skip
    assert codings_as_seen(demo()) == codings_before
    assert f"Coded passages imported: {len(codings_before)}" in out.getvalue()

    target = other_audit()
    Code.objects.filter(audit=target).delete()
    call_command("import_codebook", str(tmp_path / "demo.csv"), "--audit", target.slug, stdout=out)
    assert Code.objects.filter(audit=target).count() == Code.objects.filter(audit=demo()).count()
    with pytest.raises(CommandError, match="may not see raw answers"):
        call_command(
            "export_codebook", "--audit", "demo", "--format", "qdpx",
            "--out", str(tmp_path / "x.qdpx"), "--user", "bestallare@demo.example",
        )  # fmt: skip
    (tmp_path / "bad.qdc").write_bytes(b"<CodeBook/>")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_codebook", str(tmp_path / "bad.qdc"), "--audit", "demo")
