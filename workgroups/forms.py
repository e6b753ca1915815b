from django import forms
from django.utils.translation import gettext_lazy as _

from goals.models import Criterion, GoalVersion
from members.models import Membership

from . import selectors
from .models import AgendaItem, Body, Meeting, Project, Vote, WorkingGroup, WorkPlan


class HearingResponseForm(forms.Form):
    criterion = forms.ModelChoiceField(
        label=_("Which criterion does your response concern?"),
        queryset=Criterion.objects.none(),
        required=False,
        empty_label=_("The goal in general"),
    )
    text = forms.CharField(label=_("Your response"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000)
    keep_private = forms.BooleanField(label=_("Do not publish my response after the hearing"), required=False)

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = version.criteria.order_by("position", "number")
        self.fields["criterion"].label_from_instance = lambda c: f"{c.number} – {c.text[:80]}"


class PublicHearingResponseForm(HearingResponseForm):
    respondent_name = forms.CharField(label=_("Your name"), max_length=200)
    respondent_organisation = forms.CharField(label=_("Organisation"), max_length=200)
    respondent_email = forms.EmailField(
        label=_("Email address"), help_text=_("Used only if the secretariat needs to ask about your response.")
    )
    homepage = forms.CharField(required=False, label=_("Leave this field empty"))  # honeypot

    field_order = [
        "respondent_name",
        "respondent_organisation",
        "respondent_email",
        "criterion",
        "text",
        "keep_private",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["homepage"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["homepage"].honeypot = True

    def clean(self):
        data = super().clean()
        if data.get("homepage"):
            raise forms.ValidationError(_("The response could not be accepted."))
        return data


# --- meetings and decisions ---

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Body"), choices=Body.Kind.choices)
    working_group = forms.ModelChoiceField(
        label=_("Working group"),
        queryset=WorkingGroup.objects.none(),
        required=False,
        help_text=_("Only for a working-group meeting."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Date and time"), widget=DATETIME_INPUT)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_url = forms.URLField(label=_("Online meeting link"), required=False, assume_scheme="https")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["working_group"].queryset = WorkingGroup.objects.exclude(
            status__in=[WorkingGroup.Status.COMPLETED, WorkingGroup.Status.CANCELLED]
        ).order_by("name")


class MeetingEditForm(MeetingForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["kind"]
        del self.fields["working_group"]


class AgendaItemForm(forms.Form):
    prefix = "item"
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=AgendaItem.Kind.choices)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    version = forms.ModelChoiceField(
        label=_("Draft to adopt"),
        queryset=GoalVersion.objects.none(),
        required=False,
        help_text=_("A draft that has been through the hearings. Steering group only."),
    )
    effective_date = forms.DateField(label=_("In force from, if adopted"), required=False, widget=DATE_INPUT)
    membership = forms.ModelChoiceField(
        label=_("Membership application to decide"), queryset=Membership.objects.none(), required=False
    )
    work_plan = forms.ModelChoiceField(label=_("Work plan to decide"), queryset=WorkPlan.objects.none(), required=False)
    project = forms.ModelChoiceField(
        label=_("Project to approve"),
        queryset=Project.objects.none(),
        required=False,
        help_text=_("A prioritised project: Lab projects at the Council, Move projects at POGI Move."),
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        track = {Body.Kind.COUNCIL: Project.Track.LAB, Body.Kind.MOVE: Project.Track.MOVE}.get(meeting.body.kind)
        if track:
            self.fields["project"].queryset = Project.objects.filter(
                track=track, status=Project.Status.PRIORITISED
            ).order_by("title")
        else:
            del self.fields["project"]
        if meeting.body.kind != Body.Kind.STEERING_GROUP:
            for name in ("version", "effective_date", "membership", "work_plan"):
                del self.fields[name]
            return
        self.fields["version"].queryset = selectors.versions_for_agenda()
        self.fields["version"].label_from_instance = lambda v: (
            _("Goal %(number)s, version %(version)s: %(title)s")
            % {
                "number": v.goal.number,
                "version": v.number,
                "title": v.title,
            }
        )
        self.fields["membership"].queryset = (
            Membership.objects.filter(status=Membership.Status.APPLIED)
            .select_related("organisation")
            .order_by("organisation__name")
        )
        self.fields["membership"].label_from_instance = lambda m: m.organisation.name
        self.fields["work_plan"].queryset = WorkPlan.objects.order_by("-year")

    def clean(self):
        data = super().clean()
        # A draft, an application or a work plan is decided by the steering group: its item is for decision,
        # whatever kind was chosen, and the page says so when it is saved.
        if any(data.get(name) for name in ("version", "membership", "work_plan", "project")):
            self.kind_set_to_decision = data.get("kind") != AgendaItem.Kind.DECISION
            data["kind"] = AgendaItem.Kind.DECISION
        return data


class AgendaDocumentForm(forms.Form):
    prefix = "doc"
    item = forms.ModelChoiceField(label=_("Agenda item"), queryset=AgendaItem.objects.none())
    title = forms.CharField(label=_("Title of the document"), max_length=200)
    file = forms.FileField(label=_("Document (PDF)"))

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = AgendaItem.objects.filter(meeting=meeting).order_by("position")


class AttendanceForm(forms.Form):
    prefix = "attendance"
    present = forms.MultipleChoiceField(
        label=_("Present"), choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.participants = {str(p.user_id): p for p in participants}
        self.fields["present"].choices = [
            (str(p.user_id), f"{p.organisation.name}: {p.user.name or p.user.email}") for p in participants
        ]

    def users(self):
        return [self.participants[uid].user for uid in self.cleaned_data["present"]]


class DecisionForm(forms.Form):
    """The proposal and one vote per organisation present (an empty choice: it did not vote)."""

    proposal = forms.CharField(label=_("Proposal voted on"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    proposal_en = forms.CharField(
        label=_("Proposal voted on (English)"),
        help_text=_("Optional: shown instead on the English pages. The Danish proposal is the one voted on."),
        widget=forms.Textarea(attrs={"rows": 2, "lang": "en"}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = organisations
        choices = [("", _("Did not vote")), *Vote.Choice.choices]
        for organisation in organisations:
            self.fields[f"vote_{organisation.pk}"] = forms.ChoiceField(
                label=organisation.name, choices=choices, required=False, widget=forms.RadioSelect
            )

    def votes(self):
        return [
            (organisation, self.cleaned_data[f"vote_{organisation.pk}"])
            for organisation in self.organisations
            if self.cleaned_data.get(f"vote_{organisation.pk}")
        ]


class MinutesForm(forms.Form):
    prefix = "minutes"
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 10}), max_length=50000)


class MinutesApproveForm(forms.Form):
    prefix = "approve"
    earlier = forms.ModelChoiceField(label=_("Minutes of the meeting"), queryset=Meeting.objects.none())

    def __init__(self, *args, earlier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["earlier"].queryset = Meeting.objects.filter(pk__in=[m.pk for m in earlier])


class DraftCommentForm(forms.Form):
    criterion = forms.ModelChoiceField(
        label=_("Which criterion does your comment concern?"),
        queryset=Criterion.objects.none(),
        required=False,
        empty_label=_("The draft in general"),
    )
    text = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = version.criteria.order_by("position", "number")
        self.fields["criterion"].label_from_instance = lambda c: f"{c.number} – {c.text[:80]}"
