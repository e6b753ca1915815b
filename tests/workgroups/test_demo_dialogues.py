"""The Nordic buyer dialogue demo: four countries with fictitious contacts, two gatherings, eight applications in
different states and a small interest list, written through the services; loading it twice changes nothing."""

import pytest
from django.apps import apps

from members import demo as member_demo
from workgroups import demo_dialogues
from workgroups.models import Dialogue

pytestmark = pytest.mark.django_db

# The people the partnership's own page about the dialogue names: the demo never uses them.
REAL_PEOPLE = ("kihl", "laustsen", "bergman", "enberg", "jenno")


def snapshot():
    return {model._meta.label: model.objects.count() for model in apps.get_app_config("workgroups").get_models()}


def test_the_dialogue_demo_has_four_countries_applications_in_every_state_and_loads_once(client):
    member_demo.load()
    first = demo_dialogues.load()
    counts = snapshot()
    assert demo_dialogues.load() == first and snapshot() == counts
    dialogue = Dialogue.objects.select_related("project").get()
    assert {c.country for c in dialogue.countries.all()} == {"DK", "NO", "SE", "FI"}
    assert {t.language for t in dialogue.texts.all()} == {"da", "en", "nb", "sv", "fi"}
    assert dialogue.gatherings.count() == 2
    assert sorted(dialogue.applications.values_list("status", flat=True)) == sorted(
        ["accepted"] * 4 + ["submitted"] * 3 + ["declined"]
    )
    assert dialogue.interest.exclude(confirmed_at=None).count() == 3 and dialogue.interest.count() == 4
    contacts = " ".join(f"{c.contact_name} {c.contact_email}".lower() for c in dialogue.countries.all())
    assert not any(name in contacts for name in REAL_PEOPLE)
    # Sweden's contact signs in and assesses the Swedish applications
    sweden = dialogue.countries.get(country="SE")
    assert sweden.contact_user is not None and sweden.contact_user.check_password(member_demo.DEMO_PASSWORD)
    url = f"/projects/{dialogue.project.slug}/applications/"
    assert client.login(email=sweden.contact_user.email, password=member_demo.DEMO_PASSWORD)
    assert url in client.get("/dashboard/").content.decode()
    page = client.get("/sv" + url)
    assert page.status_code == 200 and "Göteborgs Stad" in page.content.decode()
    assert "Oslo kommune" not in page.content.decode()
