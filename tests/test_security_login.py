"""Login rate limiting, password strength, production settings, shared documents."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.test import override_settings
from wagtail.documents import get_document_model
from wagtail.models import Collection

from engagements.permissions import SHARED_COLLECTION

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


@override_settings(AXES_ENABLED=True)
def test_login_is_locked_after_five_failures(client, django_user_model):
    django_user_model.objects.create_user("agent", password="motdepasse-solide-42")
    url = "/admin/login/"
    for _ in range(5):
        response = client.post(url, {"username": "agent", "password": "mauvais"})
    response = client.post(url, {"username": "agent", "password": "motdepasse-solide-42"})
    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(AXES_ENABLED=True)
def test_a_good_password_still_logs_in_before_the_limit(client, django_user_model):
    django_user_model.objects.create_user("agent", password="motdepasse-solide-42")
    client.post("/admin/login/", {"username": "agent", "password": "mauvais"})
    response = client.post(
        "/admin/login/", {"username": "agent", "password": "motdepasse-solide-42"}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


@pytest.mark.parametrize("password", ["court", "123456789012", "motdepasse", "password1234"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_uncommon_password_is_accepted():
    validate_password("Lampadaire-violet-sur-Seine-7")


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **os.environ,
        "SECRET_KEY": "x" * 20 + "production-like-secret-key-with-enough-entropy-0123456789",
        "ALLOWED_HOSTS": "charte.example.org",
        "DJANGO_SETTINGS_MODULE": "config.production",
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.fixture
def shared_document(db):
    collection = Collection.objects.get(name=SHARED_COLLECTION)
    return get_document_model().objects.create(
        title="Compte rendu du groupe de travail",
        file=ContentFile(b"compte rendu", name="compte-rendu.txt"),
        collection=collection,
    )


def test_shared_documents_are_refused_to_anonymous_visitors(client, shared_document):
    response = client.get(shared_document.url)
    assert response.status_code == 302
    assert "login" in response["Location"]


# The shared collection holds the committee's internal notes: partners no longer read it (their
# evidence has a collection per partner: tests/test_security_documents.py).
@pytest.mark.parametrize("role", ["copilot", "committee_member"])
def test_shared_documents_are_served_to_the_committee_roles(request, client, shared_document, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(shared_document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"compte rendu"


def test_shared_documents_are_refused_to_a_user_without_role(
    client, shared_document, django_user_model
):
    client.force_login(django_user_model.objects.create_user("inconnu"))
    response = client.get(shared_document.url)
    assert response.status_code in (302, 403)
