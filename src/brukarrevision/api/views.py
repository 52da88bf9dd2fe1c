"""The REST API, version 1: read the audits a token's owner may see, their released
(suppressed) results, published reports and the follow-up of proposals; enter paper and
offline responses. Views parse and answer; selectors read, services write, and
`brukarrevision.permissions` decides."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from brukarrevision.accounts.models import SecurityEvent
from brukarrevision.accounts.services import record_event
from brukarrevision.permissions import Action, can, may_use_api
from brukarrevision.portfolio.selectors import overview as portfolio_overview

from . import selectors, serializers, services
from .access import TokenScope
from .authentication import BearerTokenAuthentication
from .models import Scope
from .throttling import TokenRateThrottle

ERROR = serializers.ErrorSerializer
REFUSALS = {
    401: OpenApiResponse(ERROR, description="No token, or one that is expired or revoked."),
    403: OpenApiResponse(ERROR, description="The token lacks the scope, or its owner the right."),
    429: OpenApiResponse(ERROR, description="Too many requests; see Retry-After."),
}
NOT_FOUND = {404: OpenApiResponse(ERROR, description="No such audit visible to the token.")}
LISTED = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="A page or page size out of range."),
    **REFUSALS,
    404: OpenApiResponse(ERROR, description="No such page."),
}
SLUG = OpenApiParameter(
    "slug", OpenApiTypes.STR, OpenApiParameter.PATH, pattern=r"^[-a-zA-Z0-9_]+$"
)


class Pages(PageNumberPagination):
    """Numbered pages; a page or page size that is not a whole number in range is a 400,
    as the schema says, rather than quietly ignored."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset, request, view=None):
        for name, top in (("page", None), ("page_size", self.max_page_size)):
            raw = request.query_params.get(name)
            if raw is None:
                continue
            if not (raw.isascii() and raw.isdigit()) or int(raw) < 1 or (top and int(raw) > top):
                raise ValidationError({name: [_("Give a whole number from 1.")]})
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        found = super().get_schema_operation_parameters(view)
        for parameter in found:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == "page_size":
                parameter["schema"]["maximum"] = self.max_page_size
        return found


class ApiMixin:
    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [TokenScope]
    throttle_classes = [TokenRateThrottle]
    scope: str = ""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    def audit(self, request, slug: str, action: Action):
        """The audit if the token's owner may do `action` on it within the token's scope.
        One who may not see it gets a 404, logged, as on the pages."""
        audit = selectors.audit_by_slug(slug)
        if audit is None:
            raise NotFound
        if not can(request.user, Action.VIEW_AUDIT, audit):
            record_event(
                SecurityEvent.Kind.ACCESS_REFUSED,
                request=request,
                user=request.user,
                detail=f"api {Action.VIEW_AUDIT} {slug}",
            )
            raise NotFound
        if not may_use_api(request.user, request.auth, self.scope, action, audit):
            raise PermissionDenied
        return audit


class ApiView(ApiMixin, APIView):
    pass


class ApiListView(ApiMixin, ListAPIView):
    pagination_class = Pages


class AuditList(ApiListView):
    scope = Scope.READ_AUDITS
    serializer_class = serializers.AuditSerializer

    def get_queryset(self):
        return selectors.audits_for(self.request.user)

    @extend_schema(summary="Audits you may see", responses={200: serializer_class, **LISTED})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class AuditDetail(ApiView):
    scope = Scope.READ_AUDITS

    @extend_schema(
        summary="One audit",
        parameters=[SLUG],
        responses={200: serializers.AuditDetailSerializer, **REFUSALS, **NOT_FOUND},
    )
    def get(self, request, slug):
        audit = self.audit(request, slug, Action.VIEW_AUDIT)
        return Response(serializers.AuditDetailSerializer(audit).data)


class QuestionnaireList(ApiView):
    scope = Scope.READ_AUDITS

    @extend_schema(
        summary="The audit's questionnaires with the codes printed on paper forms",
        parameters=[SLUG],
        responses={200: serializers.QuestionnaireSerializer(many=True), **REFUSALS, **NOT_FOUND},
    )
    def get(self, request, slug):
        audit = self.audit(request, slug, Action.VIEW_INSTRUMENTS)
        found = selectors.questionnaires(audit)
        return Response(serializers.QuestionnaireSerializer(found, many=True).data)


class ReleaseList(ApiView):
    scope = Scope.READ_RESULTS

    @extend_schema(
        summary="The audit's releases of results",
        parameters=[SLUG],
        responses={200: serializers.ReleaseSerializer(many=True), **REFUSALS, **NOT_FOUND},
    )
    def get(self, request, slug):
        audit = self.audit(request, slug, Action.VIEW_RESULTS)
        return Response(serializers.ReleaseSerializer(selectors.releases_of(audit), many=True).data)


class ReleaseDetail(ApiView):
    scope = Scope.READ_RESULTS

    @extend_schema(
        summary="A release's figures, small groups hidden",
        description="The same content the client's results page shows: never raw answers, "
        "never how many are behind a hidden group.",
        parameters=[SLUG],
        responses={200: serializers.ReleaseContentSerializer, **REFUSALS, **NOT_FOUND},
    )
    def get(self, request, slug, number):
        audit = self.audit(request, slug, Action.VIEW_RESULTS)
        found = selectors.release(audit, number)
        if found is None:
            raise NotFound
        return Response(serializers.ReleaseContentSerializer(found).data)


class ReportList(ApiListView):
    scope = Scope.READ_REPORTS
    serializer_class = serializers.EditionSerializer

    def get_queryset(self):
        return selectors.editions(self.request.query_params.get("audit") or None)

    @extend_schema(
        summary="Published reports",
        description="Every published edition (public, as on the public pages), newest first, "
        "with links to its stored files.",
        parameters=[
            OpenApiParameter("audit", OpenApiTypes.STR, description="Only this audit's (slug).")
        ],
        responses={200: serializer_class, **LISTED},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ProposalList(ApiView):
    scope = Scope.READ_FOLLOWUP

    @extend_schema(
        summary="Action proposals with their answers, actions and updates",
        parameters=[SLUG],
        responses={200: serializers.ProposalSerializer(many=True), **REFUSALS, **NOT_FOUND},
    )
    def get(self, request, slug):
        audit = self.audit(request, slug, Action.VIEW_PROPOSALS)
        found = selectors.proposals(audit)
        return Response(serializers.ProposalSerializer(found, many=True).data)


class Portfolio(ApiView):
    scope = Scope.READ_PORTFOLIO

    @extend_schema(
        summary="The portfolio across audits",
        description="The same overview as the portfolio page, from releases and published "
        "reports only, with small groups hidden again after adding up: audits counted by "
        "county, municipality, service type, phase and year; results per quality area; "
        "action proposals by level and recipient with their follow-up status; trends.",
        parameters=[serializers.PortfolioFilterSerializer],
        responses={
            200: OpenApiTypes.OBJECT,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="What is wrong, per filter."),
            **REFUSALS,
            **NOT_FOUND,
        },
    )
    def get(self, request):
        filters = serializers.PortfolioFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return Response(portfolio_overview(request.user, filters.validated_data))


class ResponseCreate(ApiView):
    scope = Scope.WRITE_RESPONSES

    @extend_schema(
        summary="Enter a paper or offline response",
        description="Stored like a paper form typed in on the collection page. Idempotent by "
        "submission key: the same key with the same content gives 200 and the same id; the "
        "same key with other content gives 409.",
        parameters=[SLUG],
        request=serializers.ResponseInSerializer,
        responses={
            201: serializers.ResponseOutSerializer,
            200: serializers.ResponseOutSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="What is wrong, per field."),
            409: OpenApiResponse(ERROR, description="The key was used with other content."),
            **REFUSALS,
            **NOT_FOUND,
        },
    )
    def post(self, request, slug):
        audit = self.audit(request, slug, Action.ENTER_RESPONSES)
        incoming = serializers.ResponseInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            response, created = services.submit_response(
                user=request.user, token=request.auth, audit=audit, data=data
            )
        except DjangoPermissionDenied:
            raise PermissionDenied from None
        except DjangoValidationError as error:
            detail = error.message_dict if hasattr(error, "error_dict") else error.messages
            raise ValidationError(detail) from None
        except services.Conflict:
            return Response(
                {"detail": _("This submission key was already used with other content.")},
                status=status.HTTP_409_CONFLICT,
            )
        body = {"id": response.pk, "submission_key": data["submission_key"], "created": created}
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


@csrf_exempt  # no session here: a stray POST gets the JSON 404, not a CSRF page
def not_found(request, *args, **kwargs):
    response = JsonResponse({"detail": _("Not found.")}, status=404)
    response["Cache-Control"] = "no-store"
    return response


class SchemaView(SpectacularAPIView):
    authentication_classes = [SessionAuthentication]
    permission_classes = [AllowAny]


class DocsView(SpectacularSwaggerSplitView):
    authentication_classes = [SessionAuthentication]
    permission_classes = [AllowAny]
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
