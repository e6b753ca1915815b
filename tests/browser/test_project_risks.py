"""A project's risks and stakeholders page: the owner's representative adds a risk and sets a stakeholder's
involvement, the matrix places the risk with its score and level in words; a participant reads the page without
forms. Checked with axe-core in Danish and English, at 1280 px and at 320 px, without sideways scrolling."""

import pytest
from playwright.sync_api import expect

from tests.factories import MembershipFactory, OrganisationFactory, RepresentativeFactory
from workgroups import services

from .pages import assert_no_sideways_scroll, check_page, sign_in

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 320, "height": 640}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


@pytest.fixture
def world(transactional_db):
    """A Lab project of Aby Kommune with Bby Kommune taking part, two risks and a small stakeholder table."""
    owner, participant = (
        RepresentativeFactory(
            organisation=MembershipFactory(organisation=OrganisationFactory(name=f"{name} Kommune")).organisation,
            position="primary",
        )
        for name in ("Aby", "Bby")
    )
    project = services.project_propose(
        owner=owner.organisation,
        kind="development",
        title="Klimaregnskab for byggeriet",
        purpose="En metode til at opgøre byggeriets klimaaftryk ud fra mængder.",
        by=owner.user,
        lead=owner.user,
        participants=[participant.organisation],
    )
    for title, probability, consequence in (("Udbuddet udskydes", 4, 3), ("Nøglepersoner stopper", 1, 3)):
        services.risk_add(
            project=project,
            by=owner.user,
            title=title,
            probability=probability,
            consequence=consequence,
            measure="Projektgruppen følger det hver måned.",
            owner="Projektlederen",
        )
    for activity, stakeholder, involvement in (
        ("Metode", "Aby Kommune", "H"),
        ("Metode", "Universitetet", "D"),
        ("Afprøvning", "Bby Kommune", "D"),
    ):
        services.stakeholder_set(
            project=project, by=owner.user, activity=activity, stakeholder=stakeholder, involvement=involvement
        )
    return {"owner": owner, "participant": participant, "project": project}


@pytest.mark.parametrize("device", [{}, PHONE], ids=["1280px", "320px"])
def test_the_owner_keeps_the_register_and_a_participant_reads_it(new_page, world, device):
    project = world["project"]
    path = f"/en/projects/{project.slug}/risks/"
    member = new_page(**device)
    sign_in(member, world["owner"].user, path)
    check_page(member, "a project's risks and stakeholders")
    assert_no_sideways_scroll(member, "a project's risks and stakeholders")
    matrix = member.get_by_role("table", name="Risk matrix: consequence against probability")
    expect(matrix).to_be_visible()
    # the risk scored 4 x 3 sits at consequence 3, probability 4: its score and level in words, not colour alone
    expect(matrix.get_by_role("link", name="R1")).to_have_text("R1")
    expect(matrix.locator("td.risk-high").filter(has_text="R1")).to_contain_text("12")
    expect(matrix.locator("td.risk-high").filter(has_text="R1")).to_contain_text("high")

    # a risk without its measure is refused with its text kept; then added
    form = member.locator("form", has=member.get_by_role("button", name="Add the risk"))
    form.get_by_label("Risk", exact=True).fill("Data for installationer mangler")
    form.get_by_label("Probability (1–4)").select_option("3")
    form.get_by_label("Consequence (1–4)").select_option("3")
    form.get_by_label("Risk owner").fill("Universitetet")
    member.get_by_role("button", name="Add the risk").click()
    expect(member.locator(".form-error-message").first).to_be_visible()
    form = member.locator("form", has=member.get_by_role("button", name="Add the risk"))
    expect(form.get_by_label("Risk", exact=True)).to_have_value("Data for installationer mangler")
    form.get_by_label("Measure").fill("Generiske data bruges, indtil leverandørernes data er samlet ind.")
    member.get_by_role("button", name="Add the risk").click()
    expect(member.locator(".alert-success").first).to_contain_text("The risk has been added to the register.")
    table = member.get_by_role("table", name="The risks, highest score first")
    expect(table.locator("tbody tr").nth(1)).to_contain_text("Data for installationer mangler")
    expect(table.locator("tbody tr").nth(1)).to_contain_text("9 high")

    # a stakeholder's involvement is set in the table
    form = member.locator("form", has=member.get_by_role("button", name="Save in the table"))
    form.get_by_label("Activity").fill("Afprøvning")
    form.get_by_label("Stakeholder", exact=True).fill("Universitetet")
    form.get_by_label("I: informed").check()
    member.get_by_role("button", name="Save in the table").click()
    expect(member.locator(".alert-success").first).to_contain_text("The stakeholder table has been saved")
    stakeholders = member.get_by_role("table", name="Stakeholders per activity (H, D or I)")
    expect(stakeholders.get_by_role("row", name="Afprøvning")).to_contain_text("I")
    check_page(member, "a project's risks and stakeholders, after changes")
    assert_no_sideways_scroll(member, "a project's risks and stakeholders, after changes")

    # a participant reads the register from the project's page, without forms
    reader = new_page(**device)
    sign_in(reader, world["participant"].user, path)
    reader.goto(f"/en/projects/{project.slug}/")
    reader.get_by_role("link", name="Risks and stakeholders").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Risks and stakeholders")
    expect(reader.get_by_role("table", name="The risks, highest score first")).to_contain_text(
        "Data for installationer mangler"
    )
    expect(reader.get_by_role("button", name="Add the risk")).to_have_count(0)
    assert_no_sideways_scroll(reader, "a participant's view of the risks")
