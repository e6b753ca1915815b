from django.core.management.base import BaseCommand

from followup import demo as followup_demo
from followup import demo_climate as climate_demo
from goals import demo as goal_demo
from members import demo as member_demo
from members.selectors import active_member_count
from workgroups import demo as workgroup_demo
from workgroups import demo_bodies as body_demo
from workgroups import demo_dialogues as dialogue_demo
from workgroups import demo_projects as project_demo


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


class Command(BaseCommand):
    help = "Load the reference data and the demo data, then print the demo accounts. Idempotent."

    def handle(self, *args, **options):
        accounts = member_demo.load()
        goal_demo.load()
        cycle = workgroup_demo.load()
        projects = project_demo.load()
        bodies = body_demo.load()
        dialogues = dialogue_demo.load()
        goals = goal_demo.summary()  # after the revision cycle, which adds a new goal
        followup = followup_demo.load()
        climate = climate_demo.load()
        followup_demo.report_publish_last_closed()
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {active_member_count()} active members."))
        self.stdout.write(f"Goals: {goals['goals']} goals, {goals['versions']} versions, {goals['criteria']} criteria.")
        self.stdout.write(
            f"Revision cycle: {_count(cycle['work_plans'], 'work plan')}, {_count(cycle['groups'], 'working group')}, "
            f"{_count(cycle['hearings'], 'hearing')} ({_count(cycle['responses'], 'response')}), "
            f"{_count(cycle['meetings'], 'meeting')}, {_count(cycle['decisions'], 'decision')}."
        )
        self.stdout.write(f"Projects: {_count(projects['projects'], 'project')} in POGI Move and POGI Lab.")
        self.stdout.write(
            f"Nordic buyer dialogues: {_count(dialogues['dialogues'], 'dialogue')} with "
            f"{_count(dialogues['applications'], 'application')} and {dialogues['interest']} on the interest list."
        )
        self.stdout.write(
            f"Bodies: {_count(bodies['offices'], 'office')}, {_count(bodies['seats'], 'seat')} in POGI Move and "
            f"POGI Lab; {_count(bodies['events'], 'event')} on the year wheel."
        )
        self.stdout.write(
            f"Follow-up: {followup['rounds']} rounds, {followup['submitted']} of {followup['responses']} responses "
            f"submitted, {followup['answers']} goal answers; the annual report of the last closed round is published."
        )
        self.stdout.write(
            f"Climate account: {_count(climate['estimates'], 'estimate')} per member, year and area; "
            f"{climate['quantities']} measured quantities and {_count(climate['measures'], 'measure')} "
            "for Copenhagen and Aarhus."
        )
        self.stdout.write("")
        self.stdout.write("Demo accounts (email / password):")
        width = max(len(role) for role, _, _ in accounts)
        accounts = [*accounts, ("national contact (Sweden)", dialogue_demo.CONTACT_EMAIL, member_demo.DEMO_PASSWORD)]
        for role, email, password in accounts:
            self.stdout.write(f"  {role:<{width}}  {email:<32} {password}")
        self.stdout.write("")
        self.stdout.write(
            "The secretariat account uses two-factor authentication. Add this secret to an authenticator app:\n"
            f"  {member_demo.DEMO_TOTP_SECRET}\n"
            "or print the current code with: make totp"
        )
