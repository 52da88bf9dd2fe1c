"""The OpenRosa form list and submission APIs that ODK Collect and Enketo speak
(https://docs.getodk.org/openrosa-form-list/, …/openrosa-form-submission/), and the page
where an interviewer makes the app passwords Collect signs in with.

The OpenRosa endpoints are the only views exempt from CSRF: Collect sends no cookie and
signs every request in with HTTP Basic (over HTTPS), with an app password, never the main
password."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lxml import etree

from brukarrevision.collection.services import SubmissionConflict
from brukarrevision.permissions import may_collect_offline, may_have_app_passwords

from . import selectors, services, xforms
from .forms import AppPasswordForm
from .models import AppPassword

XFORMS_LIST = "http://openrosa.org/xforms/xformsList"
OPENROSA_RESPONSE = "http://openrosa.org/http/response"
XML = "text/xml; charset=utf-8"


def _openrosa(response: HttpResponse) -> HttpResponse:
    response["X-OpenRosa-Version"] = "1.0"
    response["Date"] = http_date()
    response["Cache-Control"] = "no-store"
    return response


def _message(status: int, text: str, nature: str = "") -> HttpResponse:
    root = etree.Element("OpenRosaResponse", nsmap={None: OPENROSA_RESPONSE})
    message = etree.SubElement(root, "message")
    if nature:
        message.set("nature", nature)
    message.text = text
    body = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    return _openrosa(HttpResponse(body, status=status, content_type=XML))


def _challenge() -> HttpResponse:
    response = _message(401, _("Sign in with your e-mail address and an app password."))
    response["WWW-Authenticate"] = 'Basic realm="Brukarrevision"'
    return response


def openrosa_endpoint(view):
    """CSRF-exempt, never cached, signed in by app password (401 with a Basic challenge
    without one, 429 after too many wrong ones); the interviewer becomes request.user."""

    @csrf_exempt
    @never_cache
    def wrapped(request, *args, **kwargs):
        try:
            user = services.sign_in(request)
        except services.TooManyAttempts:
            response = _message(429, _("Too many wrong passwords. Try again later."))
            response["Retry-After"] = str(settings.ODK_LOCKOUT_MINUTES * 60)
            return response
        if user is None:
            return _challenge()
        request.user = user
        return view(request, *args, **kwargs)

    return wrapped


@require_http_methods(["GET", "HEAD"])
@openrosa_endpoint
def form_list(request):
    wanted = request.GET.get("formID", "")
    root = etree.Element("xforms", nsmap={None: XFORMS_LIST})
    for instrument in selectors.offline_questionnaires(request.user):
        form = xforms.build(instrument)
        if wanted and form.form_id != wanted:
            continue
        entry = etree.SubElement(root, "xform")
        for tag, text in [
            ("formID", form.form_id),
            ("name", f"{instrument.title} · {instrument.audit.title}"),
            ("version", form.version),
            ("hash", f"md5:{form.md5}"),
            ("descriptionText", instrument.audit.title),
            (
                "downloadUrl",
                request.build_absolute_uri(reverse("openrosa:form", args=[form.form_id])),
            ),
        ]:
            etree.SubElement(entry, tag).text = text
    body = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    return _openrosa(HttpResponse(body, content_type=XML))


@require_http_methods(["GET", "HEAD"])
@openrosa_endpoint
def form_xml(request, form_id):
    instrument = selectors.questionnaire(form_id)
    if instrument is None:
        return _message(404, _("This server has no such form."))
    if not may_collect_offline(request.user, instrument.audit):
        return _message(403, _("You may not collect answers for this audit."))
    form = xforms.build(instrument)
    response = HttpResponse(form.xml.encode(), content_type=XML)
    response["Content-Disposition"] = f'attachment; filename="{form.form_id}.xml"'
    return _openrosa(response)


@require_http_methods(["HEAD", "POST"])
@openrosa_endpoint
def submission(request):
    if request.method == "HEAD":
        response = _openrosa(HttpResponse(status=204))
        response["X-OpenRosa-Accept-Content-Length"] = str(settings.ODK_MAX_SUBMISSION_BYTES)
        return response
    upload = request.FILES.get("xml_submission_file")
    if upload is None:
        return _message(400, _("The submission has no xml_submission_file."))
    if upload.size > settings.ODK_MAX_SUBMISSION_BYTES:
        return _message(413, _("The submission is too large."))
    try:
        _response, created = services.receive_submission(user=request.user, data=upload.read())
    except services.UnknownForm as refusal:
        return _message(404, str(refusal))
    except services.Refused as refusal:
        return _message(400, str(refusal))
    except PermissionDenied:
        return _message(403, _("You may not send answers for this audit."))
    except SubmissionConflict:
        return _message(
            409, _("Another form with the same instance id and other answers is already stored.")
        )
    if created:
        return _message(201, _("Thank you. The answers are stored."), "submit_success")
    return _message(202, _("These answers were already stored."), "submit_success")


# The interviewer's page --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def app_passwords(request):
    if not may_have_app_passwords(request.user):
        raise PermissionDenied
    form = AppPasswordForm(request.POST if request.POST.get("action") == "make" else None)
    made = None
    if request.method == "POST" and request.POST.get("action") == "revoke":
        app_password = get_object_or_404(
            AppPassword, pk=request.POST.get("id") or 0, user=request.user
        )
        services.revoke_app_password(user=request.user, app_password=app_password, request=request)
        messages.success(request, _("The app password no longer works."))
        return redirect("openrosa:app_passwords")
    if request.method == "POST" and form.is_valid():
        _made, secret = services.make_app_password(
            user=request.user, label=form.cleaned_data["label"], request=request
        )
        made = {"label": _made.label, "secret": secret}
        form = AppPasswordForm()
    return render(
        request,
        "openrosa/app_passwords.html",
        {
            "form": form,
            "made": made,
            "server_url": request.build_absolute_uri(reverse("openrosa:server")).rstrip("/"),
            "app_passwords": selectors.app_passwords(request.user),
            "forms": selectors.offline_questionnaires(request.user),
        },
    )


def server(request):
    """The address typed into Collect: nothing lives here but the endpoints under it."""
    raise Http404
