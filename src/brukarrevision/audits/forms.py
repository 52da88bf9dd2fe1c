import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from brukarrevision.accounts.models import User
from brukarrevision.organisations.models import Membership, Unit

from . import rules
from .models import Application, Audit, AuditMember, Offer, Phase, TargetGroup, TrainingTopic

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 4})


class PlausibleDateField(forms.DateField):
    """A date from 2000 up to ten years ahead: a typo such as 1927 or 2207 is refused with
    words that say what to write instead."""

    default_error_messages = {
        "invalid": _("Write the date as year-month-day, like 2027-03-03."),
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", DATE)
        super().__init__(*args, **kwargs)

    def validate(self, value):
        super().validate(value)
        if value is not None:
            rules.check_date(value)


class ApplicationForm(forms.ModelForm):
    client = forms.ModelChoiceField(queryset=None, label=_("Applying organisation"))

    class Meta:
        model = Application
        fields = [
            "client",
            "units",
            "purpose",
            "anchoring",
            "recruitment",
            "use_of_results",
            "participation",
            "follow_up",
        ]
        widgets = {
            "units": forms.CheckboxSelectMultiple,
            **{
                name: TEXT
                for name in [
                    "purpose",
                    "anchoring",
                    "recruitment",
                    "use_of_results",
                    "participation",
                    "follow_up",
                ]
            },
        }
        help_texts = {
            "purpose": _("What do you want to learn, and why now?"),
            "anchoring": _("Who in the units knows about the audit and supports it?"),
            "recruitment": _("For each target group: how will you reach people who can answer?"),
            "use_of_results": _("Who receives the report and how will proposals be handled?"),
            "participation": _("How do users and relatives take part in the work with results?"),
            "follow_up": _("When and how will you report what has been done?"),
        }

    def __init__(self, *args, clients, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = clients
        if clients.count() == 1:
            self.fields["client"].initial = clients.first()
            self.fields["client"].widget = forms.HiddenInput()
        self.fields["units"].queryset = Unit.objects.filter(client__in=clients)
        self.fields["units"].label = _("Units to audit")

    def answers(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields[2:]}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Message to the client"),
        widget=TEXT,
        required=False,
        help_text=_("Required when you decline."),
    )


class OfferForm(forms.ModelForm):
    class Meta:
        model = Offer
        fields = ["title", "description", "places", "closes_on", "is_open"]
        widgets = {"description": TEXT, "closes_on": DATE}
        field_classes = {"closes_on": PlausibleDateField}


class PlanForm(forms.ModelForm):
    """Scope and method. Its fields keep their plain names (units, method, budget_sek...)."""

    class Meta:
        model = Audit
        fields = [
            "units",
            "municipalities",
            "method",
            "budget_sek",
            "informs_users",
            "informs_staff",
        ]
        widgets = {
            "units": forms.CheckboxSelectMultiple,
            "method": forms.RadioSelect,
            "budget_sek": forms.NumberInput(attrs={"inputmode": "numeric", "min": "0"}),
        }
        help_texts = {"budget_sek": _("In whole kronor, like 85000.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.filter(client=self.instance.client)
        self.fields["units"].required = True
        self.fields["units"].error_messages["required"] = _("Choose at least one unit.")
        self.fields["method"].choices = self.fields["method"].choices[1:]
        self.fields["method"].required = True
        self.fields["method"].error_messages["required"] = _("Choose a method.")
        self.fields["budget_sek"].error_messages["invalid"] = _(
            "Write the budget as a whole number of kronor, like 85000."
        )

    def clean_budget_sek(self):
        budget = self.cleaned_data.get("budget_sek")
        rules.check_budget(budget)
        return budget


class TargetGroupForm(forms.ModelForm):
    prefix = "group"

    class Meta:
        model = TargetGroup
        fields = ["name", "kind"]


class TargetGroupsForm(forms.Form):
    """The audit's target groups: tick those to remove, and add one more."""

    prefix = "group"
    remove = forms.ModelMultipleChoiceField(
        label=_("Remove target groups"),
        queryset=TargetGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Their quotas in the sample plan are removed too."),
    )
    name = forms.CharField(label=_("New target group"), max_length=120, required=False)
    kind = forms.ChoiceField(
        label=_("Kind of target group"),
        choices=[("", "–"), *TargetGroup.Kind.choices],
        required=False,
    )

    def __init__(self, *args, audit: Audit, **kwargs):
        super().__init__(*args, **kwargs)
        self.audit = audit
        self.fields["remove"].queryset = audit.target_groups.all()
        self.fields["remove"].label_from_instance = lambda group: (
            f"{group.name} ({group.get_kind_display()})"
        )

    def clean(self):
        data = super().clean()
        name, kind = (data.get("name") or "").strip(), data.get("kind")
        data["name"] = name
        if name and not kind:
            self.add_error("kind", _("Choose the kind of the new target group."))
        if kind and not name:
            self.add_error("name", _("Give the new target group a name."))
        kept = self.audit.target_groups.exclude(pk__in=[g.pk for g in data.get("remove") or []])
        if name and kept.filter(name__iexact=name).exists():
            self.add_error("name", _("The audit already has a target group with this name."))
        return data

    def new_group(self) -> tuple[str, str] | None:
        name = self.cleaned_data.get("name")
        return (name, self.cleaned_data["kind"]) if name else None


class QuotaForm(forms.Form):
    """One number field per unit and target group."""

    prefix = "quota"

    def __init__(self, *args, audit: Audit, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = list(audit.units.all())
        self.groups = list(audit.target_groups.all())
        existing = {(q.unit_id, q.target_group_id): q.target for q in audit.quotas.all()}
        self.rows = []
        for unit in self.units:
            cells = []
            for group in self.groups:
                name = f"q_{unit.pk}_{group.pk}"
                self.fields[name] = forms.IntegerField(
                    label=f"{unit.name}, {group.name}",
                    min_value=0,
                    max_value=10000,
                    required=False,
                    initial=existing.get((unit.pk, group.pk)),
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "narrow"}),
                    error_messages={
                        "invalid": _("Write a whole number, like 8."),
                        "min_value": _("The number cannot be negative."),
                        "max_value": _("Write at most 10000."),
                    },
                )
                cells.append(self[name])
            self.rows.append((unit, cells))

    def quotas(self) -> dict[tuple[int, int], int | None]:
        return {
            (unit.pk, group.pk): self.cleaned_data.get(f"q_{unit.pk}_{group.pk}")
            for unit in self.units
            for group in self.groups
        }


TIMELINE_PHASES = [p for p in Phase if Phase.PLANNING <= p < Phase.CLOSED]


class TimelineForm(forms.Form):
    prefix = "timeline"

    def __init__(self, *args, audit: Audit, **kwargs):
        super().__init__(*args, **kwargs)
        existing = {d.phase: d for d in audit.phase_dates.all()}
        self.phases = []
        self.summary_labels = {}
        for phase in TIMELINE_PHASES:
            dates = existing.get(phase)
            start, due = f"start_{phase.value}", f"due_{phase.value}"
            self.fields[start] = PlausibleDateField(
                label=_("Starts"),
                required=False,
                initial=dates.starts_on if dates else None,
            )
            self.fields[due] = PlausibleDateField(
                label=_("Done by"),
                required=False,
                initial=dates.due_on if dates else None,
            )
            self.summary_labels[start] = f"{phase.label}, {_('starts')}"
            self.summary_labels[due] = f"{phase.label}, {_('done by')}"
            self.phases.append((phase, self[start], self[due]))

    def clean(self):
        data = super().clean()
        for phase in TIMELINE_PHASES:
            start, due = data.get(f"start_{phase.value}"), data.get(f"due_{phase.value}")
            try:
                rules.check_period(start, due)
            except ValidationError as error:
                self.add_error(f"due_{phase.value}", error)
        return data

    def dates(self) -> dict[int, tuple[datetime.date | None, datetime.date | None]]:
        return {
            phase.value: (
                self.cleaned_data.get(f"start_{phase.value}"),
                self.cleaned_data.get(f"due_{phase.value}"),
            )
            for phase in TIMELINE_PHASES
        }


class PlanPage:
    """The whole plan as one form with one save: scope and method, target groups, the
    sample plan and the timeline. Either everything is saved or nothing, and every error
    is shown next to its field and in one summary that names the section."""

    def __init__(self, data=None, *, audit: Audit):
        self.audit = audit
        self.plan = PlanForm(data, instance=audit)
        self.groups = TargetGroupsForm(data, audit=audit)
        self.quota = QuotaForm(data, audit=audit)
        self.timeline = TimelineForm(data, audit=audit)
        self.sections = [
            ("plan", _("Scope and method"), self.plan),
            ("groups", _("Target groups"), self.groups),
            ("quota", _("Sample plan"), self.quota),
            ("timeline", _("Timeline"), self.timeline),
        ]

    @property
    def is_bound(self) -> bool:
        return self.plan.is_bound

    def is_valid(self) -> bool:
        return all([form.is_valid() for _key, _title, form in self.sections])

    def form(self, key: str):
        return next(form for found, _title, form in self.sections if found == key)

    def error_sections(self) -> list[dict]:
        """For the error summary: per section with errors, each error with the label a
        reader recognises and the id of the field it links to."""
        found = []
        for key, title, form in self.sections:
            if not form.errors:
                continue
            labels = getattr(form, "summary_labels", {})
            errors = [
                {"label": "", "message": message, "anchor": f"{key}-section"}
                for message in form.non_field_errors()
            ]
            for field in form:
                for message in field.errors:
                    anchor = field.auto_id + ("_0" if field.use_fieldset else "")
                    label = labels.get(field.name, field.label)
                    errors.append({"label": label, "message": message, "anchor": anchor})
            found.append({"key": key, "title": title, "errors": errors})
        return found

    def saved_values(self) -> dict:
        """What services.save_plan takes, from valid forms."""
        data = self.plan.cleaned_data
        return {
            "scope": {
                "units": list(data["units"]),
                "municipalities": data["municipalities"],
                "method": data["method"],
                "budget_sek": data["budget_sek"],
                "informs_users": data["informs_users"],
                "informs_staff": data["informs_staff"],
            },
            "remove_groups": list(self.groups.cleaned_data.get("remove") or []),
            "new_group": self.groups.new_group(),
            "quotas": self.quota.quotas(),
            "dates": self.timeline.dates(),
        }


class AddAuditorForm(forms.Form):
    prefix = "auditor"
    auditor = forms.ModelChoiceField(queryset=None, label=_("Auditor"))
    perspective = forms.ChoiceField(
        label=_("Takes part with"),
        choices=AuditMember.Perspective.choices,
        widget=forms.RadioSelect,
    )
    declares_not_current_user = forms.BooleanField(
        label=_("The auditor declares that they are not a current user of any audited unit."),
        required=False,
    )

    def __init__(self, *args, audit: Audit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["auditor"].queryset = (
            User.objects.filter(
                memberships__organisation=audit.performer,
                memberships__role=Membership.Role.AUDITOR,
                is_active=True,
            )
            .exclude(audit_roles__audit=audit)
            .distinct()
        )


class CoordinatorForm(forms.Form):
    prefix = "coordinator"
    coordinator = forms.ModelChoiceField(queryset=None, label=_("Coordinator"))

    def __init__(self, *args, audit: Audit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = User.objects.filter(
            memberships__organisation=audit.performer,
            memberships__role=Membership.Role.COORDINATOR,
            is_active=True,
        ).distinct()
        current = audit.coordinator_member()
        if current:
            self.fields["coordinator"].initial = current.user


class TrainingForm(forms.Form):
    prefix = "training"
    auditor = forms.ModelChoiceField(queryset=None, label=_("Auditor"))
    topic = forms.ChoiceField(label=_("Training"), choices=TrainingTopic.choices)
    completed_on = PlausibleDateField(label=_("Completed on"))

    def __init__(self, *args, audit: Audit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["auditor"].queryset = User.objects.filter(
            audit_roles__audit=audit, audit_roles__role=AuditMember.Role.AUDITOR
        )


class PhaseForm(forms.Form):
    to_phase = forms.TypedChoiceField(label=_("Move to phase"), coerce=int)
    reason = forms.CharField(label=_("Why?"), widget=TEXT)

    def __init__(self, *args, audit: Audit, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (p.value, p.label)
            for p in Phase
            if Phase.PLANNING <= p <= min(audit.phase + 1, Phase.CLOSED) and p != audit.phase
        ]
        self.fields["to_phase"].choices = choices
        if audit.phase < Phase.CLOSED:
            self.fields["to_phase"].initial = audit.phase + 1


class PledgeForm(forms.Form):
    promise = forms.BooleanField(
        label=_(
            "I promise to keep secret everything I learn about respondents and others "
            "during the audit, also after it has ended."
        ),
    )
