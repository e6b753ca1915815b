"""Forms for the bodies' offices and seats and for the year wheel's recurring events. They parse input; the
services in services/bodies.py decide."""

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.formats import date_text
from members.models import Organisation, Representative

from .forms import DATE_INPUT
from .models import Body, BodyOffice, Decision, YearWheelEvent
from .offices import ROLE_LABELS

# The bodies a recurring event may belong to (a working group meets as its work needs).
WHEEL_BODIES = [(kind, label) for kind, label in Body.Kind.choices if kind != Body.Kind.WORKING_GROUP]


def representative_label(rep: Representative) -> str:
    return f"{rep.user.name or rep.user.email} ({rep.organisation.name})"


def decision_label(decision: Decision) -> str:
    return f"{date_text(decision.item.meeting.starts_at)}: {decision.item.title}"


def term_rule_text(body: Body) -> str:
    years = body.chair_term_years
    if body.chair_term_is_minimum:
        return ngettext(
            "At least %(years)s year after the first day.", "At least %(years)s years after the first day.", years
        ) % {"years": years}
    return ngettext(
        "Exactly %(years)s year after the first day: the day before the anniversary.",
        "Exactly %(years)s years after the first day: the day before the anniversary.",
        years,
    ) % {"years": years}


class OfficeAssignForm(forms.Form):
    role = forms.ChoiceField(label=_("Office"), choices=list(ROLE_LABELS.items()))
    representative = forms.ModelChoiceField(label=_("Person"), queryset=Representative.objects.none())
    starts_on = forms.DateField(label=_("First day of the term"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("Last day of the term"), widget=DATE_INPUT)
    decision = forms.ModelChoiceField(
        label=_("Chosen by the decision"),
        queryset=Decision.objects.none(),
        required=False,
        help_text=_("A carried decision at one of the body's meetings."),
    )
    note = forms.CharField(
        label=_("How they were chosen"),
        max_length=300,
        required=False,
        help_text=_("Shown on the body's page, for instance “Elected at the meeting on 18 March”."),
    )

    def __init__(self, *args, body: Body, candidates, decisions, **kwargs):
        kwargs.setdefault("prefix", "office")
        super().__init__(*args, **kwargs)
        person = self.fields["representative"]
        person.queryset = candidates  # type: ignore[attr-defined]
        person.label_from_instance = representative_label  # type: ignore[attr-defined]
        if body.composition == Body.Composition.ONE_PER_MEMBER:
            person.help_text = _("The holders of the body's seats.")
        else:
            person.help_text = _("The representatives of the organisations seated in the body.")
        decision = self.fields["decision"]
        decision.queryset = decisions  # type: ignore[attr-defined]
        decision.label_from_instance = decision_label  # type: ignore[attr-defined]
        self.fields["ends_on"].help_text = term_rule_text(body)


class OfficeEndForm(forms.Form):
    on = forms.DateField(label=_("New last day of the term"), widget=DATE_INPUT)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=100,
        help_text=_("Kept in the history. At most 100 characters."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, office: BodyOffice, **kwargs):
        kwargs.setdefault("prefix", f"end{office.pk}")
        super().__init__(*args, **kwargs)


class SeatForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Member organisation"), queryset=Organisation.objects.none())
    representative = forms.ModelChoiceField(
        label=_("Representative"), queryset=Representative.objects.none(), required=False
    )
    founding = forms.BooleanField(label=_("Founding municipality"), required=False)
    since = forms.DateField(label=_("Seated since"), widget=DATE_INPUT, required=False)

    def __init__(self, *args, body: Body, organisations, representatives, **kwargs):
        kwargs.setdefault("prefix", "seat")
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        person = self.fields["representative"]
        person.queryset = representatives  # type: ignore[attr-defined]
        person.label_from_instance = representative_label  # type: ignore[attr-defined]
        if body.composition == Body.Composition.ONE_PER_MEMBER:
            person.required = True
            person.help_text = _("One representative from every member; choosing another replaces the one before.")
            del self.fields["founding"]
        else:
            person.help_text = _("May be left empty until the organisation names its representative.")


class YearWheelEventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of event"), choices=YearWheelEvent.Kind.choices)
    body = forms.ChoiceField(
        label=_("Body"),
        choices=[("", "—"), *WHEEL_BODIES],
        required=False,
        help_text=_("Needed for a meeting of a body."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    month = forms.TypedChoiceField(label=_("Month"), choices=sorted(MONTHS.items()), coerce=int)
    day = forms.IntegerField(
        label=_("Day"),
        required=False,
        min_value=1,
        max_value=31,
        help_text=_("Leave empty when the event comes some time in the month."),
    )
    duration_days = forms.IntegerField(label=_("Duration (days)"), min_value=1, initial=1)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "event")
        super().__init__(*args, **kwargs)

    @classmethod
    def of(cls, event: YearWheelEvent) -> "YearWheelEventForm":
        return cls(
            initial={
                "kind": event.kind,
                "body": event.body.kind if event.body else "",
                "title": event.title,
                "title_en": event.title_en,
                "description": event.description,
                "description_en": event.description_en,
                "month": event.month,
                "day": event.day,
                "duration_days": event.duration_days,
            }
        )
