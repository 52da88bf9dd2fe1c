"""A certificate of completion of a course: a tagged PDF (PDF/UA-1) in Swedish, drawn with
WeasyPrint as the report and the record of processing are."""

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify

from .models import Module, Participant
from .services import completed_modules


def html(participant: Participant) -> str:
    course = participant.course
    done = completed_modules(participant)
    sessions = list(course.sessions.all())
    with translation.override("sv"):
        return render_to_string(
            "pool/certificate.html",
            {
                "participant": participant,
                "member": participant.member,
                "course": course,
                "organisation": course.organisation,
                "modules": [Module(m).label for m in course.modules if m in done],
                "first": min((s.date for s in sessions), default=None),
                "last": max((s.date for s in sessions), default=None),
                "completed_on": participant.completed_on,
                "made_on": timezone.localdate(),
            },
        )


def pdf(participant: Participant) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    from brukarrevision.reports.rendering import table_structure

    class Nothing(URLFetcher):
        """A certificate needs nothing from elsewhere, and fetches nothing."""

        def fetch(self, url, headers=None):
            raise ValueError(f"Nothing is fetched for a certificate: {url}")

    source = HTML(string=html(participant), url_fetcher=Nothing())
    return source.write_pdf(pdf_variant="pdf/ua-1", finisher=table_structure)


def filename(participant: Participant) -> str:
    name = slugify(participant.member.full_name) or "deltagare"
    return f"intyg-{name}-{participant.course_id}.pdf"
