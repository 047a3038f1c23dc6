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


PROXY = "10.0.0.1"  # the load balancer, as the application sees it (REMOTE_ADDR)


def failed_logins(client, username: str, times: int, **meta) -> None:
    for _ in range(times):
        client.post("/admin/login/", {"username": username, "password": "mauvais"}, **meta)


def good_login(client, username: str, **meta):
    return client.post(
        "/admin/login/", {"username": username, "password": "motdepasse-solide-42"}, **meta
    )


@override_settings(AXES_ENABLED=True)
def test_without_trusted_proxies_a_forged_forwarded_for_is_ignored(client, django_user_model):
    """Issue 12: the lockout address is REMOTE_ADDR unless proxies are configured."""
    from axes.models import AccessAttempt

    django_user_model.objects.create_user("agent", password="motdepasse-solide-42")
    for number in range(5):
        failed_logins(
            client, "agent", 1, REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR=f"203.0.113.{number}"
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.10"}
    response = good_login(client, "agent", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert response.status_code == 429


@override_settings(AXES_ENABLED=True, TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_each_client_is_locked_on_its_own(client, django_user_model):
    """Issue 12: behind a load balancer, one client's failures no longer lock the account for
    everyone; the entries a client prepends to the header do not free it either."""
    from axes.models import AccessAttempt

    django_user_model.objects.create_user("agent", password="motdepasse-solide-42")
    attacker = "198.51.100.7"
    for number in range(5):
        # The proxy appends the address it saw to whatever the client sent.
        forged = f"203.0.113.{number}, {attacker}"
        failed_logins(client, "agent", 1, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forged)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {attacker}
    response = good_login(
        client, "agent", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.99, {attacker}"
    )
    assert response.status_code == 429
    # The account's owner, behind the same proxy, still logs in.
    response = good_login(client, "agent", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


@override_settings(TRUSTED_PROXY_COUNT=2, CLIENT_IP_HEADER="X-Real-Client")
def test_the_client_address_is_counted_from_the_right(rf):
    from config.client_ip import client_ip_address

    def address(header: str | None) -> str | None:
        meta = {"REMOTE_ADDR": PROXY}
        if header is not None:
            meta["HTTP_X_REAL_CLIENT"] = header
        return client_ip_address(rf.get("/", **meta))

    assert address("203.0.113.9, 198.51.100.7, 10.0.0.2") == "198.51.100.7"
    assert address("198.51.100.7, 10.0.0.2") == "198.51.100.7"
    assert address("10.0.0.2") == PROXY  # not through both proxies
    assert address(None) == PROXY
    assert address("pas-une-adresse, 10.0.0.2") == PROXY


def test_production_reads_the_trusted_proxies_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.TRUSTED_PROXY_COUNT, settings.CLIENT_IP_HEADER)"
    )
    base = {"SECRET_KEY": "x" * 20 + "production-like-secret-key-with-enough-entropy-0123456789"}
    base["ALLOWED_HOSTS"] = "charte.example.org"

    def run(**env):
        full = {**os.environ, **base, "DJANGO_SETTINGS_MODULE": "config.production", **env}
        full.pop("DATABASE_URL", None)
        for name in ("TRUSTED_PROXY_COUNT", "CLIENT_IP_HEADER"):
            if name not in env:
                full.pop(name, None)
        return subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=full, capture_output=True, text=True
        )

    assert run().stdout.split() == ["0", "X-Forwarded-For"]
    configured = run(TRUSTED_PROXY_COUNT="1", CLIENT_IP_HEADER="X-Real-IP")
    assert configured.stdout.split() == ["1", "X-Real-IP"]
    wrong = run(TRUSTED_PROXY_COUNT="un")
    assert wrong.returncode != 0
    assert "TRUSTED_PROXY_COUNT doit être un nombre entier" in wrong.stderr


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
