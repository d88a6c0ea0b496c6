"""jury 0005: per-round jurors merged into the edition's members by address, their conflicts
into one row per person, dossier and reason, without losing a decision; and back."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import ApplicationFactory, EditionFactory, UserFactory

BEFORE = [("jury", "0004_remove_roundentry_eliminated")]
AFTER = [("jury", "0005_jury_members")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def latest_schema_after():
    """Going back to jury 0004 unapplies every later migration (jury's and those of the apps that
    depend on it): the database ends as the rest of the suite expects it, at every app's latest."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_jurors_and_conflicts_are_merged_without_losing_a_decision(
    referential_present, latest_schema_after
):
    edition = EditionFactory(year=2026)
    other_edition = EditionFactory(year=2027)
    dossier = ApplicationFactory(edition=edition)
    organiser = UserFactory(is_organiser=True)
    claire = UserFactory(email="claire@exemple.fr")
    apps = migrate(BEFORE)
    Round = apps.get_model("jury", "Round")
    Juror = apps.get_model("jury", "Juror")
    Conflict = apps.get_model("jury", "Conflict")
    regional = Round.objects.create(
        edition_id=edition.pk, name="Régional", slug="r", kind="regional"
    )
    national = Round.objects.create(
        edition_id=edition.pk, name="National", slug="n", kind="national"
    )
    elsewhere = Round.objects.create(
        edition_id=other_edition.pk, name="National", slug="n", kind="national"
    )

    def juror(round_, email, **fields):
        return Juror.objects.create(
            round=round_,
            email=email,
            full_name=fields.pop("full_name", "Claire Dubois"),
            institution_name="Banque des Territoires",
            **fields,
        )

    accepted = juror(regional, "claire@exemple.fr", user_id=claire.pk, state="accepted",
                     answered_at=datetime(2026, 3, 1, tzinfo=UTC))  # fmt: skip
    invited = juror(national, "Claire@Exemple.fr", state="invited", capacity_min=2, capacity_max=10)
    other = juror(elsewhere, "claire@exemple.fr", state="invited")
    paul = juror(national, "paul@exemple.fr", full_name="Paul Petit", state="invited")
    # Confirmed in the regional round; detected again (undecided) in the national one.
    Conflict.objects.create(
        juror=accepted, application_id=dossier.pk, source="detected", reason_code="lead",
        reason="La Banque porte le dossier.", status="confirmed", decided_by_id=organiser.pk,
        decided_at=datetime(2026, 3, 2, tzinfo=UTC), decision_reason="Vérifié.",
    )  # fmt: skip
    Conflict.objects.create(
        juror=invited, application_id=dossier.pk, source="detected", reason_code="lead",
        reason="La Banque porte le dossier.",
    )  # fmt: skip
    # Declared twice in other words, dismissed in the national round, later than a confirmation.
    Conflict.objects.create(
        juror=accepted, application_id=dossier.pk, source="declared", reason_code="declared",
        reason="Je connais l'équipe.", status="confirmed",
        decided_at=datetime(2026, 3, 3, tzinfo=UTC), decision_reason="Prudence.",
    )  # fmt: skip
    Conflict.objects.create(
        juror=invited, application_id=dossier.pk, source="declared", reason_code="declared",
        reason="J'ai conseillé l'équipe.", status="dismissed",
        decided_at=datetime(2026, 4, 1, tzinfo=UTC), decision_reason="Conseil ponctuel.",
    )  # fmt: skip

    apps = migrate(AFTER)
    Member = apps.get_model("jury", "JuryMember")
    Juror = apps.get_model("jury", "Juror")
    Conflict = apps.get_model("jury", "Conflict")

    member = Member.objects.get(edition_id=edition.pk, email__iexact="claire@exemple.fr")
    assert (member.state, member.user_id, member.token) == ("accepted", claire.pk, invited.token)
    assert member.answered_at == datetime(2026, 3, 1, tzinfo=UTC)
    assert set(Juror.objects.filter(member=member).values_list("pk", "state", "user_id")) == {
        (accepted.pk, "accepted", claire.pk),
        (invited.pk, "accepted", claire.pk),
    }
    # The old defaults became the fair share; what an organiser set stays.
    assert Juror.objects.get(pk=invited.pk).capacity_min == 2
    assert Juror.objects.get(pk=invited.pk).capacity_max is None
    assert Juror.objects.get(pk=other.pk).member.edition_id == other_edition.pk
    # An invitation still open keeps its link.
    assert Juror.objects.get(pk=paul.pk).member.token == paul.token
    detected = Conflict.objects.get(member=member, reason_code="lead")
    assert (detected.status, detected.decision_reason, detected.round_id) == (
        "confirmed",
        "Vérifié.",
        regional.pk,
    )
    declared = Conflict.objects.get(member=member, reason_code="declared")
    assert declared.status == "dismissed"
    assert declared.decision_reason == (
        "Conseil ponctuel.\nDécision antérieure du 03/03/2026 (confirmé) : Prudence."
    )
    assert declared.reason == "J'ai conseillé l'équipe.\nJe connais l'équipe."
    assert Conflict.objects.count() == 2

    apps = migrate(BEFORE)
    Juror = apps.get_model("jury", "Juror")
    Conflict = apps.get_model("jury", "Conflict")
    # Going back: each round juror gets a copy of the person's conflicts.
    assert Conflict.objects.filter(juror_id=accepted.pk).count() == 2
    assert Conflict.objects.filter(juror_id=invited.pk).count() == 2
    assert len(set(Juror.objects.values_list("token", flat=True))) == 4
    migrate(AFTER)
