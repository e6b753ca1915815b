"""Forms for the prioritisation of POGI Lab proposals: the weights, a proposal's scores, and the agenda feed."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from core.formats import datetime_text

from .models import Meeting, Project

SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]


class WeightsForm(forms.Form):
    prefix = "weights"
    co2 = forms.IntegerField(label=_("CO2 reduction potential"), min_value=0, max_value=10)
    scalability = forms.IntegerField(label=_("Scalability"), min_value=0, max_value=10)
    relevance = forms.IntegerField(label=_("Relevance to the members"), min_value=0, max_value=10)


class ScoreForm(forms.Form):
    co2_potential_tonnes = forms.DecimalField(
        label=_("CO2 reduction potential (t CO2e per year)"),
        required=False,
        max_digits=12,
        decimal_places=1,
        min_value=0,
        help_text=_("Leave empty if it has not been estimated; the proposal then waits among those missing scores."),
    )
    co2_assumption = forms.CharField(
        label=_("Assumption behind the potential"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How the figure is estimated, so the secretariat and Lab can check it."),
    )
    scalability = forms.TypedChoiceField(
        label=_("Scalability"),
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1: only for the owner; 5: every member can use the solution."),
    )
    relevance = forms.TypedChoiceField(
        label=_("Relevance to the members"),
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1: of interest to few members; 5: a need most members share."),
    )

    @classmethod
    def for_project(cls, project: Project, data=None) -> "ScoreForm":
        return cls(
            data,
            initial={
                "co2_potential_tonnes": project.co2_potential_tonnes,
                "co2_assumption": project.co2_assumption,
                "scalability": project.scalability,
                "relevance": project.relevance,
            },
        )


class AgendaFeedForm(forms.Form):
    prefix = "agenda"
    meeting = forms.TypedChoiceField(label=_("Meeting"), coerce=int)
    count = forms.IntegerField(
        label=_("Number of top-ranked proposals"),
        min_value=1,
        max_value=10,
        initial=3,
        help_text=_("At the Council only prioritised proposals count, as only they can be approved there."),
    )
    project = forms.TypedChoiceField(
        label=_("Or one chosen proposal"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Leave empty to take the top-ranked."),
    )

    def __init__(self, *args, meetings: list[Meeting], candidates: list[Project], **kwargs):
        super().__init__(*args, **kwargs)
        self.meetings = {m.pk: m for m in meetings}
        self.candidates = {p.pk: p for p in candidates}
        # grouped by body, so the body is read once whatever the meetings are called
        groups: dict[str, list[tuple[int, str]]] = {}
        for m in meetings:
            groups.setdefault(str(m.body), []).append((m.pk, f"{datetime_text(m.starts_at)}: {m.title}"))
        meeting = cast(forms.TypedChoiceField, self.fields["meeting"])
        meeting.choices = list(groups.items())
        if meetings:
            meeting.initial = meetings[0].pk
        project = cast(forms.TypedChoiceField, self.fields["project"])
        project.choices = [("", _("The top-ranked"))] + [(p.pk, p.title) for p in candidates]

    def clean_meeting(self):
        return self.meetings[self.cleaned_data["meeting"]]

    def clean_project(self):
        pk = self.cleaned_data["project"]
        return None if pk is None else self.candidates[pk]
