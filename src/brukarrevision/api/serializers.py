"""The shapes of the API, read-only except the response a program sends. They describe
the OpenAPI schema as much as they turn objects into JSON."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from brukarrevision.audits.models import Audit, TargetGroup
from brukarrevision.collection.models import Response
from brukarrevision.followup.models import Action as PlannedAction
from brukarrevision.followup.models import ActionUpdate, ProposalAnswer
from brukarrevision.instruments import languages
from brukarrevision.organisations.models import County, Unit
from brukarrevision.releases.models import Release
from brukarrevision.reports.models import Edition, EditionFile, Proposal

from .services import entry_channels


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name", "municipality", "service_type"]


class TargetGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = TargetGroup
        fields = ["id", "name", "kind"]


class AuditSerializer(serializers.ModelSerializer):
    performer = serializers.CharField(source="performer.name")
    client = serializers.CharField(source="client.name")
    phase_label = serializers.CharField(source="get_phase_display")
    units = UnitSerializer(many=True)

    class Meta:
        model = Audit
        fields = [
            "slug",
            "title",
            "phase",
            "phase_label",
            "method",
            "performer",
            "client",
            "municipalities",
            "created_at",
            "units",
        ]


class CodeSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class QuestionSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.CharField()
    text = serializers.CharField()
    required = serializers.BooleanField()
    codes = CodeSerializer(many=True)


class QuestionnaireSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    version = serializers.IntegerField()
    is_current = serializers.BooleanField()
    languages = serializers.ListField(child=serializers.CharField())
    items = QuestionSerializer(many=True)


class AuditDetailSerializer(AuditSerializer):
    target_groups = TargetGroupSerializer(many=True)

    class Meta(AuditSerializer.Meta):
        fields = AuditSerializer.Meta.fields + ["target_groups"]


class ReleaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Release
        fields = ["number", "made_at", "threshold"]


class ReleaseContentSerializer(serializers.ModelSerializer):
    content = serializers.JSONField(
        help_text="The released figures exactly as the client's results page shows them: per "
        "questionnaire, every breakdown with its groups (a hidden group has respondents null "
        "and no figures) and per question the counts of each answer code."
    )

    class Meta:
        model = Release
        fields = ["number", "made_at", "threshold", "content"]


class EditionFileSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = EditionFile
        fields = ["format", "easy_read", "sha256", "url"]

    def get_url(self, stored) -> str:
        edition = stored.edition
        path = reverse("followup:public_file", args=[edition.report.audit.slug, stored.format])
        query = f"?version={edition.number}" + ("&easy=1" if stored.easy_read else "")
        return self.context["request"].build_absolute_uri(path + query)


class EditionSerializer(serializers.ModelSerializer):
    audit = serializers.CharField(source="report.audit.slug")
    audit_title = serializers.CharField(source="report.audit.title")
    release = serializers.IntegerField(source="release.number")
    files = EditionFileSerializer(many=True)
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = Edition
        fields = [
            "audit",
            "audit_title",
            "number",
            "published_at",
            "replaced_at",
            "note",
            "release",
            "page_url",
            "files",
        ]

    def get_page_url(self, edition) -> str:
        path = reverse("followup:public_audit", args=[edition.report.audit.slug])
        return self.context["request"].build_absolute_uri(f"{path}?version={edition.number}")


class ProposalAnswerSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProposalAnswer
        fields = ["decision", "reason", "answered_at"]


class ActionUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionUpdate
        fields = ["made_on", "status", "progress", "note"]


class ActionSerializer(serializers.ModelSerializer):
    updates = ActionUpdateSerializer(many=True)

    class Meta:
        model = PlannedAction
        fields = ["description", "owner", "starts_on", "due_on", "status", "progress", "updates"]


class ProposalSerializer(serializers.ModelSerializer):
    answer = serializers.SerializerMethodField()
    actions = ActionSerializer(many=True)

    class Meta:
        model = Proposal
        fields = [
            "number",
            "title",
            "text",
            "easy_text",
            "quality_area",
            "level",
            "priority",
            "recipient",
            "answer",
            "actions",
        ]

    @extend_schema_field(ProposalAnswerSerializer(allow_null=True))
    def get_answer(self, proposal):
        found = getattr(proposal, "answer", None)
        return ProposalAnswerSerializer(found).data if found is not None else None


@extend_schema_field(
    {
        "type": "object",
        "description": "Answers by question code: the code printed on the paper form for a "
        "choice (a list of codes, or codes separated by spaces, for several), a whole number, "
        "or a text.",
        "additionalProperties": {
            "oneOf": [
                {"type": "string", "maxLength": 5000},
                {"type": "integer"},
                {"type": "array", "items": {"type": "string", "maxLength": 40}},
            ]
        },
    }
)
class AnswersField(serializers.DictField):
    pass


class ResponseInSerializer(serializers.Serializer):
    submission_key = serializers.CharField(
        min_length=1,
        max_length=100,
        help_text="Your own key for this response. Sending the same key again with the same "
        "answers stores nothing new; with other answers it is refused.",
    )
    instrument = serializers.IntegerField(help_text="The questionnaire version's id.")
    unit = serializers.IntegerField()
    target_group = serializers.IntegerField()
    channel = serializers.ChoiceField(choices=entry_channels())
    language = serializers.ChoiceField(choices=languages.CHOICES, default=languages.PLAIN)
    respondent = serializers.ChoiceField(
        choices=Response.Respondent.choices, default=Response.Respondent.SELF
    )
    paper_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    answers = AnswersField()


class PortfolioFilterSerializer(serializers.Serializer):
    county = serializers.ChoiceField(choices=County.choices, required=False)
    service_type = serializers.ChoiceField(choices=Unit.ServiceType.choices, required=False)
    year = serializers.IntegerField(min_value=1990, max_value=2100, required=False)
    organisation = serializers.IntegerField(min_value=1, max_value=2**62, required=False)
    by = serializers.ChoiceField(
        choices=["county", "service_type", "year"], required=False, default="county"
    )


class ResponseOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    submission_key = serializers.CharField()
    created = serializers.BooleanField()


class ValidationErrorSerializer(serializers.Serializer):
    """Each field with what is wrong with it."""

    detail = serializers.CharField(required=False)
