"""Forms of the secretariat's revision-cycle desk. They parse input; the services decide."""

from typing import cast

from django import forms
from django.conf import settings
from django.db.models import Case, OuterRef, Subquery, When
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.uploads import validate_pdf
from goals.models import Criterion, Goal, GoalVersion, ProductArea
from members.models import User

from .models import Hearing, HearingResponse, WorkPlanItem

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M", "%d-%m-%Y %H:%M"]


def secretariat_people():
    return User.objects.filter(is_secretariat=True, is_active=True).order_by("name", "email")


def share_choices(forms_on_page, *field_names) -> None:
    """Read the choices of these model choice fields once for several forms shown on the same page."""
    cache = {}
    for form in forms_on_page:
        for name in field_names:
            field = form.fields.get(name)
            if field is None:
                continue
            if name not in cache:
                cache[name] = list(iter(field.choices))  # iter(): no COUNT query for a length hint
            field.choices = cache[name]


class WorkPlanForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    decided_on = forms.DateField(label=_("Decided by the steering group on"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


def goals_with_titles():
    """Goals with the title of their version in force (else their latest version), as choices such as "12 - Rengøring" (en dash)."""
    title = (
        GoalVersion.objects.filter(goal=OuterRef("pk"))
        .order_by(Case(When(status=GoalVersion.Status.PUBLISHED, then=0), default=1), "-number")
        .values("title")[:1]
    )
    return Goal.objects.annotate(current_title=Subquery(title)).order_by("number")


def goal_label(goal) -> str:
    return f"{goal.number} – {getattr(goal, 'current_title', None) or goal.slug}"


class WorkPlanItemForm(forms.Form):
    """A goal on a year's plan: a revision names the goal (its product area comes with it), a new goal its area.

    The desk shows one form of each kind, so neither asks for what it does not need. Both post the same
    names (``plan<pk>-kind`` tells them apart); their ids differ.
    """

    kind = forms.ChoiceField(choices=WorkPlanItem.Kind.choices, widget=forms.HiddenInput)
    goal = forms.ModelChoiceField(label=_("Goal to revise"), queryset=Goal.objects.none())
    product_area = forms.ModelChoiceField(label=_("Product area of the new goal"), queryset=ProductArea.objects.all())
    title = forms.CharField(label=_("Title"), max_length=200)
    rationale = forms.CharField(label=_("Why"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, kind: str, **kwargs):
        if kind not in WorkPlanItem.Kind.values:
            kind = WorkPlanItem.Kind.REVISION
        self.item_kind = kind
        kwargs.setdefault("auto_id", f"id_{kind}_%s")
        kwargs.setdefault("initial", {"kind": kind})
        super().__init__(*args, **kwargs)
        if kind == WorkPlanItem.Kind.REVISION:
            del self.fields["product_area"]
            goal_field = cast(forms.ModelChoiceField, self.fields["goal"])
            goal_field.queryset = goals_with_titles()
            goal_field.label_from_instance = goal_label  # type: ignore[assignment]  # a function, as Django documents
        else:
            del self.fields["goal"]

    @staticmethod
    def kind_of(data, prefix: str) -> str:
        """Which of the two forms was posted (a revision unless it says otherwise)."""
        return data.get(f"{prefix}-kind") or WorkPlanItem.Kind.REVISION

    def clean_kind(self):
        return self.item_kind  # the form decides what it asks for; a posted kind cannot change that

    def clean(self):
        data = super().clean()
        if self.item_kind == WorkPlanItem.Kind.REVISION:
            goal = data.get("goal")
            data["product_area"] = goal.product_area if goal is not None else None
        else:
            data["goal"] = None
        return data


class WorkingGroupCreateForm(forms.Form):
    facilitator = forms.ModelChoiceField(
        label=_("Secretariat facilitator"), queryset=User.objects.none(), required=False
    )
    terms_of_reference = forms.CharField(
        label=_("Terms of reference"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    goal_number = forms.IntegerField(label=_("Number of the new goal"), min_value=1, required=False)
    statement = forms.CharField(
        label=_("Goal statement of the new goal"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, item: WorkPlanItem, **kwargs):
        kwargs.setdefault("prefix", f"item{item.pk}")
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].queryset = secretariat_people()
        if item.kind == WorkPlanItem.Kind.REVISION:
            # A revision drafts the next version of the goal on the plan; there is nothing to name.
            del self.fields["goal_number"]
            del self.fields["statement"]


class WorkingGroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    facilitator = forms.ModelChoiceField(
        label=_("Secretariat facilitator"), queryset=User.objects.none(), required=False
    )
    terms_of_reference = forms.CharField(
        label=_("Terms of reference"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    terms_pdf = forms.FileField(
        label=_("Terms of reference (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].queryset = secretariat_people()
        self.fields["terms_pdf"].help_text = _("PDF, at most %(max)s. Replaces the file uploaded before.") % {
            "max": filesizeformat(settings.UPLOAD_MAX_BYTES)
        }

    def clean_terms_pdf(self):
        upload = self.cleaned_data.get("terms_pdf")
        if upload:
            validate_pdf(upload, signed_form=False)
        return upload or None


class MemberAddForm(forms.Form):
    representative = forms.ModelChoiceField(
        label=_("Representative"),
        queryset=None,
        help_text=_("Representatives of active member organisations who are not in the group yet."),
    )
    is_chair = forms.BooleanField(label=_("Chair (tovholder)"), required=False)

    def __init__(self, *args, candidates, **kwargs):
        kwargs.setdefault("prefix", "member")
        super().__init__(*args, **kwargs)
        self.fields["representative"].queryset = candidates
        self.fields["representative"].label_from_instance = self._label

    @staticmethod
    def _label(rep) -> str:
        label = f"{rep.user.name or rep.user.email} – {rep.organisation.name}"
        if rep.steering_group:
            label += f" ({_('steering group')})"
        return label


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    planned_on = forms.DateField(label=_("Planned for"), widget=DATE)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "milestone")
        super().__init__(*args, **kwargs)


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DATE)

    def __init__(self, *args, milestone, **kwargs):
        kwargs.setdefault("prefix", f"m{milestone.pk}")
        kwargs.setdefault("initial", {"done_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class HearingOpenForm(forms.Form):
    kind = forms.ChoiceField(label=_("Hearing"), choices=Hearing.Kind.choices)
    closes_at = forms.DateTimeField(
        label=_("Deadline"), input_formats=DATETIME_FORMATS, widget=DATETIME, help_text=_("Date and time.")
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "hearing")
        super().__init__(*args, **kwargs)


class ResponseAnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("Assessment"), choices=HearingResponse.Answer.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("Answer and action, with the reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )

    def __init__(self, *args, response: HearingResponse, **kwargs):
        kwargs.setdefault("prefix", f"r{response.pk}")
        if response.answer:
            kwargs.setdefault("initial", {"answer": response.answer, "text": response.answer_text})
        super().__init__(*args, **kwargs)


class EmailResponseForm(forms.Form):
    respondent_name = forms.CharField(label=_("Name"), max_length=200)
    respondent_organisation = forms.CharField(label=_("Organisation"), max_length=200)
    respondent_email = forms.EmailField(label=_("Email address"), required=False)
    criterion = forms.ModelChoiceField(
        label=_("Criterion"), queryset=Criterion.objects.none(), required=False, empty_label=_("The goal in general")
    )
    text = forms.CharField(label=_("Response"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000)
    keep_private = forms.BooleanField(label=_("The respondent asked not to publish the response"), required=False)
    received_at = forms.DateTimeField(
        label=_("Received"),
        input_formats=DATETIME_FORMATS,
        widget=DATETIME,
        help_text=_("When the email arrived. A response received after the deadline is refused."),
    )

    def __init__(self, *args, hearing: Hearing, **kwargs):
        kwargs.setdefault("prefix", "email")
        kwargs.setdefault("initial", {"received_at": timezone.localtime().replace(second=0, microsecond=0)})
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = hearing.version.criteria.order_by("position", "number")
        self.fields["criterion"].label_from_instance = lambda c: f"{c.number} – {c.text[:80]}"


class HearingCloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the hearing closed before its deadline?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the hearing's page and in the hearing memo."),
    )

    def __init__(self, *args, early: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if early:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = _(
                "The deadline has not passed yet. Give the reason for closing the hearing before it."
            )
        else:
            del self.fields["reason"]


class ResponseDismissForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Leave out of the memo as"),
        choices=HearingResponse.Dismissal.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, response: HearingResponse, **kwargs):
        kwargs.setdefault("prefix", f"d{response.pk}")
        super().__init__(*args, **kwargs)
