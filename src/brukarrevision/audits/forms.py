from django import forms
from django.utils.translation import gettext_lazy as _

from brukarrevision.accounts.models import User
from brukarrevision.organisations.models import Membership, Unit

from .models import Application, Audit, AuditMember, Offer, Phase, TargetGroup, TrainingTopic

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 4})


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


class PlanForm(forms.ModelForm):
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
        widgets = {"units": forms.CheckboxSelectMultiple, "method": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.filter(client=self.instance.client)
        self.fields["units"].required = True
        self.fields["method"].choices = self.fields["method"].choices[1:]
        self.fields["method"].required = True


class TargetGroupForm(forms.ModelForm):
    prefix = "group"

    class Meta:
        model = TargetGroup
        fields = ["name", "kind"]


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
        for phase in TIMELINE_PHASES:
            dates = existing.get(phase)
            start, due = f"start_{phase.value}", f"due_{phase.value}"
            self.fields[start] = forms.DateField(
                label=_("Starts"),
                required=False,
                widget=DATE,
                initial=dates.starts_on if dates else None,
            )
            self.fields[due] = forms.DateField(
                label=_("Done by"),
                required=False,
                widget=DATE,
                initial=dates.due_on if dates else None,
            )
            self.phases.append((phase, self[start], self[due]))

    def clean(self):
        data = super().clean()
        for phase in TIMELINE_PHASES:
            start, due = data.get(f"start_{phase.value}"), data.get(f"due_{phase.value}")
            if start and due and due < start:
                self.add_error(f"due_{phase.value}", _("The end date is before the start date."))
        return data

    def dates(self):
        return {
            phase.value: (
                self.cleaned_data.get(f"start_{phase.value}"),
                self.cleaned_data.get(f"due_{phase.value}"),
            )
            for phase in TIMELINE_PHASES
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
    completed_on = forms.DateField(label=_("Completed on"), widget=DATE)

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
