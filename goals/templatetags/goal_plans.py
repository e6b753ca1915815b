"""The implementation plan's summary on a member's pages.

The member pages belong to members/, which sits below goals/ and does not
import it; the goals app contributes its part of those pages through this tag.
"""

from django import template

from goals.selectors import plan_summary as plan_summary_get

register = template.Library()


@register.inclusion_tag("goals/_plan_summary.html")
def plan_summary(organisation):
    """How the organisation stands against its implementation plan, with a link to the plan (one query)."""
    return {"organisation": organisation, "plan_summary": plan_summary_get(organisation=organisation)}
