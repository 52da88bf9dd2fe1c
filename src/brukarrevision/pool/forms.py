from django import forms
from django.utils.translation import gettext_lazy as _

from brukarrevision.accounts.models import User
from brukarrevision.audits.forms import TEXT, PlausibleDateField
from brukarrevision.audits.models import AuditMember
from brukarrevision.organisations.models import Organisation, Unit

from .models import Experience, Module, Participant, PoolMember, WayInRequest


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.client.name})"


class UnitsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.client.name})"


def _units():
    return Unit.objects.select_related("client").order_by("client__name", "name")


class PoolFilterForm(forms.Form):
    experience = forms.ChoiceField(
        label=_("Experience"),
        choices=[("", _("Any"))] + [c for c in Experience.choices if c[0] != Experience.BOTH],
        required=False,
    )
    language = forms.CharField(label=_("Speaks"), required=False, max_length=100)
    may_audit = UnitChoiceField(
        queryset=None, label=_("May audit this unit"), required=False, empty_label=_("Any unit")
    )
    available = forms.BooleanField(label=_("Only those taking new assignments"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["may_audit"].queryset = _units()


class MemberForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    payroll_id = forms.CharField(
        label=_("Employee number in the payroll system"),
        max_length=40,
        required=False,
        help_text=_("Used for the payroll basis of fees. Leave empty if there is none yet."),
    )
    experience = forms.ChoiceField(
        label=_("Takes part with"),
        choices=Experience.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    languages = forms.CharField(
        label=_("Languages"),
        max_length=200,
        required=False,
        help_text=_("For example: Swedish, Arabic, sign language."),
    )
    availability = forms.CharField(
        label=_("Availability"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("For example: weekdays after 13, not in July."),
    )
    available = forms.BooleanField(label=_("Takes new assignments"), required=False, initial=True)
    not_to_audit_service_types = forms.MultipleChoiceField(
        label=_("Kinds of service the person may not audit (because they use them)"),
        choices=Unit.ServiceType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    not_to_audit = UnitsChoiceField(
        queryset=None,
        label=_("Units the person may not audit (because they use them)"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    user = forms.ModelChoiceField(
        queryset=None,
        label=_("Account"),
        required=False,
        empty_label=_("No account"),
        help_text=_("An account that already has a role in the organisation."),
    )
    consent = forms.BooleanField(
        label=_("The person has agreed to the consent text above."), required=False
    )

    def __init__(self, *args, organisation: Organisation, member: PoolMember | None, **kw):
        if member is not None and "initial" not in kw:
            kw["initial"] = {
                **{
                    name: getattr(member, name)
                    for name in self.base_fields
                    if hasattr(member, name)
                },
                "not_to_audit": list(member.not_to_audit.all()),
                "user": member.user,
                "consent": False,
            }
        super().__init__(*args, **kw)
        self.fields["not_to_audit"].queryset = _units()
        self.fields["user"].queryset = User.objects.filter(
            memberships__organisation=organisation, is_active=True
        ).distinct()
        if member is None:
            self.fields["consent"].required = True
        else:
            self.fields["consent"].label = _(
                "The person has agreed again to the current consent text."
            )


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes"), required=True)

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["confirm"].label = label


class AssignForm(forms.Form):
    prefix = "assign"
    audit = forms.ChoiceField(label=_("Audit"))
    perspective = forms.ChoiceField(
        label=_("Takes part with"),
        choices=AuditMember.Perspective.choices,
        widget=forms.RadioSelect,
    )
    declares_not_current_user = forms.BooleanField(
        label=_("The person declares that they are not a current user of any audited unit."),
        required=False,
    )

    def __init__(self, *args, audits, **kwargs):
        super().__init__(*args, **kwargs)
        self.audits = {str(audit.pk): audit for audit in audits}
        self.fields["audit"].choices = [(str(a.pk), a.title) for a in audits]

    def clean_audit(self):
        return self.audits[self.cleaned_data["audit"]]


class CourseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    modules = forms.MultipleChoiceField(
        label=_("Modules"), choices=Module.choices, widget=forms.CheckboxSelectMultiple
    )


class SessionForm(forms.Form):
    prefix = "session"
    date = PlausibleDateField(label=_("Date"))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    modules = forms.MultipleChoiceField(
        label=_("Modules covered"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["modules"].choices = [c for c in Module.choices if c[0] in course.modules]


class ParticipantForm(forms.Form):
    prefix = "participant"
    member = forms.ModelChoiceField(queryset=None, label=_("Person"))
    role = forms.ChoiceField(
        label=_("Trained as"),
        choices=Participant.Role.choices,
        widget=forms.RadioSelect,
        initial=Participant.Role.AUDITOR,
    )

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = PoolMember.objects.filter(
            organisation=course.organisation, erased_at__isnull=True
        ).exclude(course_places__course=course)


class ParticipantChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.member.full_name


class AttendanceForm(forms.Form):
    present = ParticipantChoices(queryset=None, widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args, session, participants, present, **kwargs):
        kwargs.setdefault("prefix", f"attendance-{session.pk}")
        kwargs.setdefault("initial", {"present": list(present)})
        super().__init__(*args, **kwargs)
        self.session = session
        self.fields["present"].queryset = Participant.objects.filter(
            pk__in=[p.pk for p in participants]
        ).select_related("member")
        self.fields["present"].label = _("Present on %(date)s") % {"date": session.date.isoformat()}


class WayInForm(forms.ModelForm):
    starts_on = PlausibleDateField(label=_("First date"))
    ends_on = PlausibleDateField(
        label=_("Last date"), required=False, help_text=_("Leave empty for a single day.")
    )

    class Meta:
        model = WayInRequest
        fields = [
            "requester_kind",
            "requester_name",
            "service_type",
            "contact_name",
            "contact_email",
            "contact_phone",
            "kind",
            "task",
            "starts_on",
            "ends_on",
            "dates_note",
            "people_needed",
            "compensation",
            "experience_wanted",
        ]
        widgets = {
            "requester_kind": forms.RadioSelect,
            "kind": forms.RadioSelect,
            "task": TEXT,
            "experience_wanted": forms.RadioSelect,
        }
        help_texts = {
            "requester_name": _("For example: Boendestödet in Åsby municipality."),
            "task": _("What will the user representatives do, and what do you hope to learn?"),
            "compensation": _("For example: fee per hour and travel costs paid."),
            "dates_note": _("For example: Tuesdays 13–15 at the town hall."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_type"].choices = [("", _("Not given"))] + list(
            Unit.ServiceType.choices
        )
        self.fields["kind"].choices = WayInRequest.Kind.choices
        self.fields["requester_kind"].choices = WayInRequest.RequesterKind.choices
        self.fields["experience_wanted"].choices = [("", _("Any"))] + list(Experience.choices)
        self.fields["experience_wanted"].required = False
        self.fields["people_needed"].widget.attrs.update(min=1, max=50)
        self.fields["contact_email"].widget.attrs.update(autocomplete="email")
        self.fields["contact_name"].widget.attrs.update(autocomplete="name")
        self.fields["contact_phone"].widget.attrs.update(autocomplete="tel")


class RequestUpdateForm(forms.Form):
    prefix = "update"
    status = forms.ChoiceField(label=_("Status"), choices=WayInRequest.Status.choices)
    unit = UnitChoiceField(
        queryset=None,
        label=_("The unit (for matching)"),
        required=False,
        empty_label=_("Not a unit we know"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units()


class MemberChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        parts = [obj.full_name]
        if obj.experience:
            parts.append(str(obj.get_experience_display()))
        if obj.languages:
            parts.append(obj.languages)
        return " – ".join(parts)


class OfferForm(forms.Form):
    prefix = "offer"
    members = MemberChoices(
        queryset=None,
        label=_("Offer the task to"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, suggestions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = PoolMember.objects.filter(
            pk__in=[m.pk for m in suggestions]
        )
