"""Concurrent updates of commitments through the real services, on PostgreSQL.

Many threads change the same and different commitments at once with `commitment_update`
(optimistic `expected_version` + row lock) and `commitment_change_status`: no update is lost,
each successful change is one history row, and a conflict is the service's French error, never a
silent overwrite. SQLite serialises writers on a file lock, so these tests run on PostgreSQL only.
"""

import threading

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, connections

from engagements.choices import COMMITMENT_STATUS_TRANSITIONS, CommitmentStatus
from engagements.models import Commitment
from engagements.services import CommitmentConflict, commitment_change_status, commitment_update

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="Concurrency tests need PostgreSQL (row locks); set DATABASE_URL=postgres://…",
    ),
    pytest.mark.django_db(transaction=True),
]
THREADS = 8
CONFLICT_WORDS = "a été modifié"


def run_threads(count: int, target) -> list:
    """Run target(index, barrier) in `count` threads started together; their results in order."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def body(index):
        try:
            results[index] = target(index, barrier)
        except BaseException as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=body, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return results


def _users(django_user_model, count: int):
    return [
        django_user_model.objects.create_superuser(
            username=f"concurrent-{i}", email=f"c{i}@example.org", password="x-long-pass-42"
        )
        for i in range(count)
    ]


def _fresh(commitment: Commitment) -> Commitment:
    return Commitment.objects.get(pk=commitment.pk)


def _set(commitment: Commitment, *, status: str, progress: int, reason: str = "Départ") -> None:
    current = _fresh(commitment)
    commitment_update(
        commitment=current,
        user=None,
        status=status,
        progress=progress,
        narrative=current.narrative,
        evidence_url=current.evidence_url,
        reason=reason,
        expected_version=current.version,
    )


def _increment(commitment_pk: int, user, *, tries: int = 500) -> tuple[int, int]:
    """Add 1 to the progress, retrying on conflict like a user reloading; (version, conflicts)."""
    conflicts = 0
    for _ in range(tries):
        current = Commitment.objects.get(pk=commitment_pk)
        version = current.version  # the service refreshes `current` on success
        try:
            commitment_update(
                commitment=current,
                user=user,
                status=current.status,
                progress=current.progress + 1,
                narrative=current.narrative,
                evidence_url=current.evidence_url,
                reason="Incrément concurrent",
                expected_version=current.version,
            )
        except CommitmentConflict as error:
            assert CONFLICT_WORDS in error.messages[0]
            conflicts += 1
            continue
        return version + 1, conflicts
    raise AssertionError("too many conflicts")


def test_no_lost_update_on_the_same_commitment(django_user_model):
    commitment = Commitment.objects.order_by("pk").first()
    _set(commitment, status=CommitmentStatus.IN_PROGRESS, progress=0)
    start = _fresh(commitment)
    history_before = start.history.count()
    users = _users(django_user_model, THREADS)
    per_thread = 5
    assert connection.vendor == "postgresql"

    def work(index, barrier):
        barrier.wait()
        return [_increment(start.pk, users[index]) for _ in range(per_thread)]

    results = run_threads(THREADS, work)
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors
    final = _fresh(commitment)
    total = THREADS * per_thread
    assert final.progress == start.progress + total  # every increment is there
    assert final.version == start.version + total
    rows = list(final.history.filter(version__gt=start.version).order_by("version"))
    assert final.history.count() == history_before + total  # one history row per success
    assert [r.version for r in rows] == list(range(start.version + 1, final.version + 1))
    assert [r.progress for r in rows] == list(range(start.progress + 1, final.progress + 1))
    # Each thread's successful versions are exactly the history rows signed by its user.
    for index, outcome in enumerate(results):
        versions = sorted(version for version, _conflicts in outcome)
        signed = sorted(r.version for r in rows if r.history_user_id == users[index].pk)
        assert versions == signed


def test_a_stale_version_is_refused_in_french_never_overwritten(django_user_model):
    commitment = Commitment.objects.order_by("pk")[1]
    _set(commitment, status=CommitmentStatus.IN_PROGRESS, progress=10)
    users = _users(django_user_model, THREADS)
    for round_number in range(3):
        start = _fresh(commitment)
        history_before = start.history.count()

        def work(index, barrier, start=start, round_number=round_number):
            mine = _fresh(start)  # each user's own form, all loaded at the same version
            barrier.wait()
            try:
                commitment_update(
                    commitment=mine,
                    user=users[index],
                    status=start.status,
                    progress=20 + round_number * THREADS + index,
                    narrative=f"Saisie {round_number} du fil {index}",
                    evidence_url=start.evidence_url,
                    reason="Saisie concurrente",
                    expected_version=mine.version,  # everybody starts from the same version
                )
            except CommitmentConflict as conflict:
                return conflict
            return index

        results = run_threads(THREADS, work)
        winners = [r for r in results if isinstance(r, int)]
        conflicts = [r for r in results if isinstance(r, CommitmentConflict)]
        assert len(winners) == 1, (round_number, results)
        assert len(conflicts) == THREADS - 1
        for error in conflicts:
            message = error.messages[0]
            assert message.startswith("Cet engagement a été modifié")
            assert "vos modifications n'ont pas été enregistrées" in message
        final = _fresh(commitment)
        assert final.progress == 20 + round_number * THREADS + winners[0]  # the winner's values
        assert final.narrative == f"Saisie {round_number} du fil {winners[0]}"
        assert final.version == start.version + 1
        assert final.history.count() == history_before + 1
        assert final.history.latest("history_date").history_user_id == users[winners[0]].pk


def test_different_commitments_in_parallel_all_succeed(django_user_model):
    # Open commitments: an increment of « Réalisé » without evidence would be refused.
    open_statuses = [CommitmentStatus.NOT_STARTED, CommitmentStatus.IN_PROGRESS]
    commitments = list(Commitment.objects.filter(status__in=open_statuses).order_by("pk")[:THREADS])
    starts = {c.pk: (_fresh(c).version, c.history.count()) for c in commitments}
    users = _users(django_user_model, THREADS)
    per_thread = 6

    def work(index, barrier):
        barrier.wait()
        return [_increment(commitments[index].pk, users[index]) for _ in range(per_thread)]

    results = run_threads(THREADS, work)
    assert not [r for r in results if isinstance(r, BaseException)], results
    # Nobody shares a row: no conflict at all.
    assert all(conflicts == 0 for outcome in results for _version, conflicts in outcome)
    for commitment in commitments:
        version, history = starts[commitment.pk]
        final = _fresh(commitment)
        assert final.version == version + per_thread
        assert final.history.count() == history + per_thread


def test_concurrent_status_changes_follow_the_allowed_transitions(django_user_model):
    commitment = Commitment.objects.order_by("pk")[12]
    _set(commitment, status=CommitmentStatus.IN_PROGRESS, progress=30)
    start = _fresh(commitment)
    users = _users(django_user_model, THREADS)
    targets = [
        CommitmentStatus.BLOCKED,
        CommitmentStatus.IN_PROGRESS,
        CommitmentStatus.ABANDONED,
        CommitmentStatus.IN_PROGRESS,
    ]

    def work(index, barrier):
        outcomes = []
        barrier.wait()
        for step in range(6):
            target = targets[(index + step) % len(targets)]
            try:
                commitment_change_status(
                    commitment=Commitment.objects.get(pk=start.pk),
                    user=users[index],
                    status=target,
                    reason=f"Changement concurrent {index}-{step}",
                )
                outcomes.append(("ok", target))
            except ValidationError as error:
                # The only refusal is a forbidden transition, said in French.
                assert "ne peut pas passer" in " ".join(error.messages), error.messages
                outcomes.append(("refused", target))
        return outcomes

    results = run_threads(THREADS, work)
    assert not [r for r in results if isinstance(r, BaseException)], results
    rows = list(start.history.filter(version__gt=start.version).order_by("version"))
    final = _fresh(commitment)
    # One history row per applied change, versions without gaps, every step an allowed one.
    assert [r.version for r in rows] == list(range(start.version + 1, final.version + 1))
    previous = start.status
    for row in rows:
        assert row.status in COMMITMENT_STATUS_TRANSITIONS[CommitmentStatus(previous)]
        assert row.history_change_reason.startswith("Changement concurrent")
        previous = row.status
    assert final.status == previous
    assert rows, "at least one change went through"
