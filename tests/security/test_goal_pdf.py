"""The public goal PDF is rendered once per version and served from the private storage (issue 13)."""

import threading

import pytest
import weasyprint
from django.db import connection
from django.urls import reverse
from django.utils import translation

from goals import reference, services
from tests.factories import goal_in_force, revision_in_force

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    """Counts WeasyPrint's renders (the real renderer still runs)."""
    calls = []
    original = weasyprint.HTML.write_pdf

    def counted(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", counted)
    return calls


@pytest.fixture
def private_storage_dir(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }
    return tmp_path


@pytest.fixture
def version_in_force(db):
    reference.load()
    return goal_in_force(number=5, title="Rengøring", criteria=["Rengøringsmidlet skal være Svanemærket."])


def pdf_url(version):
    with translation.override("da"):
        return reverse(
            "goals:version-pdf",
            kwargs={"number": version.goal.number, "slug": version.goal.slug, "version": version.number},
        )


def test_twenty_requests_for_a_published_pdf_render_it_once(client, version_in_force, renders, private_storage_dir):
    # given a published version nobody has downloaded yet
    url = pdf_url(version_in_force)
    # when twenty anonymous visitors download it
    replies = [client.get(url) for _ in range(20)]
    # then WeasyPrint ran once and every visitor got the same PDF, cacheable by shared caches
    assert len(renders) == 1
    assert {r.status_code for r in replies} == {200}
    assert len({r.content for r in replies}) == 1 and replies[0].content.startswith(b"%PDF-")
    assert replies[-1]["Cache-Control"] == "public, max-age=3600"
    assert replies[-1]["Content-Disposition"].startswith("attachment;")
    assert len(list((private_storage_dir / "goals" / "pdf").glob("*.pdf"))) == 1


def test_each_language_and_each_new_version_gets_its_own_file(client, version_in_force, renders, private_storage_dir):
    # given version 1's Danish PDF
    first = client.get(pdf_url(version_in_force)).content
    # when the English PDF is asked for, and a version 2 is put in force
    client.get("/en" + pdf_url(version_in_force))
    v2 = revision_in_force(version_in_force, title="Rengøring og rengøringsmidler")
    second = client.get(pdf_url(v2)).content
    old = client.get(pdf_url(version_in_force)).content
    # then each is rendered once: v2 is new, and v1 again now that it is superseded (its PDF says so)
    assert len(renders) == 4
    assert second != first and old != first
    client.get(pdf_url(v2))
    client.get(pdf_url(version_in_force))
    assert len(renders) == 4
    names = sorted(p.name for p in (private_storage_dir / "goals" / "pdf").glob("*.pdf"))
    assert len(names) == 4 and any(f"version-{v2.pk}-" in n for n in names)


def test_a_draft_pdf_is_rendered_for_its_editor_and_rate_limited(client, version_in_force, secretariat_user, renders):
    # given a draft the secretariat is editing
    draft = services.goal_version_draft_start(goal=version_in_force.goal, by=secretariat_user)
    client.force_login(secretariat_user)
    url = pdf_url(draft)
    # when the editor downloads it again and again
    statuses = [client.get(url).status_code for _ in range(11)]
    # then it is rendered each time (it may have changed), never kept, up to the limit; then 429 with a message
    assert statuses[:10] == [200] * 10 and statuses[10] == 429
    assert len(renders) == 10
    refused = client.get(url)
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert "Vent et minut" in refused.content.decode()


@pytest.fixture
def committed_version(transactional_db):
    reference.load()
    return goal_in_force(number=5, title="Rengøring", criteria=["Rengøringsmidlet skal være Svanemærket."])


def test_concurrent_first_requests_render_the_pdf_once(
    require_postgres, committed_version, renders, private_storage_dir
):
    # given four web threads asking for a PDF nobody has rendered yet, all at the same moment
    start = threading.Barrier(4)
    names, errors = [], []

    def download():
        try:
            start.wait()
            names.append(services.goal_version_pdf_stored(version=committed_version, language="da"))
        except Exception as exc:  # noqa: BLE001 - any error in a thread is shown by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=download) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # then the first renders while the others wait on the version's lock, and all get the same file
    assert not errors
    assert len(renders) == 1
    assert len(set(names)) == 1 and len(names) == 4
    assert not list((private_storage_dir / "goals" / "pdf").glob("*.part"))
