"""The certificate of user influence: a tagged PDF (PDF/UA-1) in Swedish, drawn with
WeasyPrint as the report and the course certificate are, with the verification link printed
as text and as a QR code."""

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify

from .models import Certification

QR = "qr:verification"


def html(certification: Certification, verify_url: str) -> str:
    with translation.override("sv"):
        return render_to_string(
            "certification/certificate.html",
            {
                "certification": certification,
                "unit": certification.unit,
                "organisation": certification.unit.client,
                "performer": certification.performer,
                "verify_url": verify_url,
                "qr": QR,
                "made_on": timezone.localdate(),
            },
        )


def pdf(certification: Certification, verify_url: str) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    from brukarrevision.collection.views import _qr_svg
    from brukarrevision.reports.rendering import table_structure

    drawn = {QR: _qr_svg(verify_url)}

    class OnlyTheCode(URLFetcher):
        """The verification QR code, and nothing else: a certificate fetches nothing."""

        def fetch(self, url, headers=None):
            if url not in drawn:
                raise ValueError(f"Nothing is fetched for a certificate: {url}")
            return URLFetcherResponse(url, drawn[url], {"Content-Type": "image/svg+xml"})

    source = HTML(string=html(certification, verify_url), url_fetcher=OnlyTheCode())
    return source.write_pdf(pdf_variant="pdf/ua-1", finisher=table_structure)


def filename(certification: Certification) -> str:
    name = slugify(certification.unit.name) or "verksamhet"
    return f"certifikat-{name}-{certification.pk}.pdf"
