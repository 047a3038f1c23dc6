"""The users the « Lignes à placer » policy lists are exactly those `can_import` lets in."""

import pytest
from django.contrib.auth.models import Permission

from charter.roles import COPILOTS, SECRETARIAT
from engagements.tests.factories import user_with_role
from imports.permissions import can_import, unplaced_permission_policy


@pytest.mark.django_db
def test_users_with_permission_match_can_import(django_user_model):
    s = user_with_role(SECRETARIAT, username="s1")
    c = user_with_role(COPILOTS, username="c1")
    p = django_user_model.objects.create_user("p1")
    p.user_permissions.add(Permission.objects.get(codename="run_import"))
    got = set(unplaced_permission_policy.users_with_any_permission(["change"]))
    expected = {u for u in django_user_model.objects.filter(is_active=True) if can_import(u)}
    assert got == expected and {s, p} <= got and c not in got
    assert not unplaced_permission_policy.users_with_any_permission(["delete"]).exists()
