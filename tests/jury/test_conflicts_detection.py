"""Conflicts detected from the real referential: lead, partner, and overlapping territories."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.models import ApplicationPartner
from contests.models import ActivityEntry
from jury.domain.conflicts import detect_conflicts, detect_conflicts_for_round
from jury.enums import ConflictReason, ConflictSource, ConflictStatus, JurorState
from jury.models import Assignment, Conflict, Evaluation, RoundEntry
from territories.models import Organisation

from ..factories import ApplicationFactory, OrganisationFactory
from .factories import AssignmentFactory, EvaluationFactory, JurorFactory, RoundFactory

TOULOUSE_METROPOLE = "243100518"
RENNES_METROPOLE = "243500139"
BREST_METROPOLE = "242900314"


def by_siren(siren: str) -> Organisation:
    return Organisation.objects.get(siren=siren)


def commune(code: str) -> Organisation:
    return Organisation.objects.get(kind="commune", insee_code=code)


def body(kind: str, code: str) -> Organisation:
    return Organisation.objects.get(kind=kind, insee_code=code)


@pytest.fixture
def round_(db):
    return RoundFactory()


def dossier(round_, lead: Organisation, partners=()):
    application = ApplicationFactory(edition=round_.edition, lead_organisation=lead)
    for position, partner in enumerate(partners):
        ApplicationPartner.objects.create(
            application=application, organisation=partner, position=position
        )
    RoundEntry.objects.create(round=round_, application=application)
    return application


def juror(round_, institution: Organisation, **fields):
    return JurorFactory(round=round_, institution=institution, institution_name="", **fields)


def detected(round_) -> list[tuple[str, str, str]]:
    return sorted(
        (conflict.member.full_name, conflict.application.reference, conflict.reason_code)
        for conflict in Conflict.objects.filter(member__jurors__round=round_).select_related(
            "member", "application"
        )
    )


def test_the_sirens_of_the_tests_are_in_the_referential(db):
    assert by_siren(TOULOUSE_METROPOLE).name == "Toulouse Métropole"
    assert by_siren(RENNES_METROPOLE).name == "Rennes Métropole"
    assert by_siren(BREST_METROPOLE).name == "Brest Métropole"


def test_toulouse_metropole_juror_conflicts_with_a_toulouse_dossier(round_):
    application = dossier(round_, commune("31555"))
    member = juror(round_, by_siren(TOULOUSE_METROPOLE))

    created = detect_conflicts(round_)

    assert len(created) == 1
    conflict = Conflict.objects.get()
    assert (conflict.member, conflict.round, conflict.application) == (
        member.member,
        round_,
        application,
    )
    assert conflict.source == ConflictSource.DETECTED
    assert conflict.reason_code == ConflictReason.COMMUNE_EPCI
    assert conflict.status == ConflictStatus.IN_FORCE
    assert conflict.reason == (
        "Toulouse Métropole (EPCI) regroupe la commune de Toulouse, porteuse du dossier."
    )


def test_rennes_metropole_juror_conflicts_with_a_rennes_dossier(round_, rennes):
    dossier(round_, rennes)
    juror(round_, by_siren(RENNES_METROPOLE))

    detect_conflicts_for_round(round_)

    assert Conflict.objects.get().reason == (
        "Rennes Métropole (EPCI) regroupe la commune de Rennes, porteuse du dossier."
    )


def test_a_commune_juror_conflicts_with_a_dossier_of_its_epci(round_, rennes):
    dossier(round_, by_siren(RENNES_METROPOLE))
    juror(round_, rennes)

    detect_conflicts(round_)

    conflict = Conflict.objects.get()
    assert conflict.reason_code == ConflictReason.COMMUNE_EPCI
    assert conflict.reason == (
        "La commune de Rennes, institution du juré, fait partie de Rennes Métropole (EPCI), "
        "porteuse du dossier."
    )


def test_region_juror_conflicts_with_a_dossier_of_the_region(round_, rennes):
    dossier(round_, rennes)
    juror(round_, body("region", "53"))

    detect_conflicts(round_)

    conflict = Conflict.objects.get()
    assert conflict.reason_code == ConflictReason.WITHIN_REGION
    assert conflict.reason == "Bretagne (région) englobe la commune de Rennes, porteuse du dossier."


def test_departement_juror_conflicts_with_a_dossier_of_the_departement(round_, rennes):
    dossier(round_, rennes)
    juror(round_, body("departement", "35"))

    detect_conflicts(round_)

    conflict = Conflict.objects.get()
    assert conflict.reason_code == ConflictReason.WITHIN_DEPARTEMENT
    assert conflict.reason == (
        "Ille-et-Vilaine (département) englobe la commune de Rennes, porteuse du dossier."
    )


def test_departement_juror_conflicts_with_a_dossier_of_its_region(round_):
    dossier(round_, body("region", "53"))
    juror(round_, body("departement", "35"))

    detect_conflicts(round_)

    conflict = Conflict.objects.get()
    assert conflict.reason_code == ConflictReason.WITHIN_REGION
    assert conflict.reason == (
        "Ille-et-Vilaine (département), institution du juré, fait partie de Bretagne (région), "
        "porteuse du dossier."
    )


def test_brest_metropole_juror_has_no_conflict_with_a_rennes_dossier(round_, rennes):
    dossier(round_, rennes)
    juror(round_, by_siren(BREST_METROPOLE))

    assert detect_conflicts(round_) == []
    assert Conflict.objects.count() == 0


def test_juror_of_the_lead_organisation_conflicts_as_lead_only(round_, rennes):
    dossier(round_, rennes)
    juror(round_, rennes)

    detect_conflicts(round_)

    conflict = Conflict.objects.get()
    assert conflict.reason_code == ConflictReason.LEAD
    assert conflict.reason == "La commune de Rennes, institution du juré, porte le dossier."


def test_juror_of_a_partner_organisation_conflicts_as_partner(round_, rennes):
    saint_malo = commune("35288")
    dossier(round_, rennes, partners=[saint_malo])
    juror(round_, saint_malo)

    detect_conflicts(round_)

    conflict = Conflict.objects.get()
    assert conflict.reason_code == ConflictReason.PARTNER
    assert conflict.reason == (
        "La commune de Saint-Malo, institution du juré, est co-porteuse du dossier."
    )


def test_a_partner_body_inside_the_juror_institution_is_a_conflict(round_, rennes, brest):
    dossier(round_, brest, partners=[rennes])
    juror(round_, by_siren(RENNES_METROPOLE))

    detect_conflicts(round_)

    assert Conflict.objects.get().reason == (
        "Rennes Métropole (EPCI) regroupe la commune de Rennes, co-porteuse du dossier."
    )


def test_a_body_added_by_hand_conflicts_through_its_departement(round_, rennes):
    ille_et_vilaine = body("departement", "35")
    association = OrganisationFactory(
        name="Bretagne Numérique", departement=ille_et_vilaine, region=ille_et_vilaine.region
    )
    dossier(round_, association)
    juror(round_, ille_et_vilaine)

    detect_conflicts(round_)

    conflict = Conflict.objects.get()
    assert conflict.reason_code == ConflictReason.WITHIN_DEPARTEMENT
    assert conflict.reason == (
        "Ille-et-Vilaine (département) englobe Bretagne Numérique, porteuse du dossier."
    )


def test_invited_jurors_are_checked_declined_and_partner_institutions_are_not(round_, rennes):
    application = dossier(round_, rennes)
    invited = juror(round_, by_siren(RENNES_METROPOLE), state=JurorState.INVITED, user=None)
    juror(round_, by_siren(RENNES_METROPOLE), state=JurorState.DECLINED)
    JurorFactory(round=round_)  # a named partner institution, outside the referential

    detect_conflicts(round_)

    assert detected(round_) == [(invited.full_name, application.reference, "commune_epci")]


def test_detection_is_idempotent_and_never_recreates_a_dismissed_conflict(round_, rennes):
    dossier(round_, rennes)
    juror(round_, by_siren(RENNES_METROPOLE))
    detect_conflicts(round_)
    Conflict.objects.update(status=ConflictStatus.DISMISSED)

    assert detect_conflicts(round_) == []
    assert list(Conflict.objects.values_list("status", flat=True)) == ["dismissed"]


def test_detection_removes_the_assignment_of_a_pair_now_in_conflict(round_, rennes, brest):
    in_conflict = dossier(round_, rennes)
    other = dossier(round_, brest)
    member = juror(round_, by_siren(RENNES_METROPOLE))
    EvaluationFactory(assignment=AssignmentFactory(juror=member, application=in_conflict))
    kept = AssignmentFactory(juror=member, application=other)

    detect_conflicts(round_)

    assert list(Assignment.objects.all()) == [kept]
    assert Evaluation.objects.count() == 0
    removed = ActivityEntry.objects.get(action="assignment_removed_for_conflict")
    assert removed.subject == in_conflict.reference
    assert removed.details == {"juror": str(member.reference), "evaluation": "draft"}
    summary = ActivityEntry.objects.get(action="conflicts_detected")
    assert summary.details == {"count": 1, "assignments_removed": 1}


def _queries_for(size: int, rennes, brest) -> int:
    round_ = RoundFactory()
    for _ in range(size):
        dossier(round_, rennes, partners=[brest])
        juror(round_, by_siren(RENNES_METROPOLE))
        juror(round_, by_siren(BREST_METROPOLE))
    with CaptureQueriesContext(connection) as queries:
        detect_conflicts(round_)
    assert Conflict.objects.filter(member__jurors__round=round_).count() == 2 * size * size
    return len(queries)


def test_detection_costs_the_same_queries_whatever_the_size(rennes, brest):
    # Jurors, entries, partners, organisations, existing conflicts, insert, assignments, and
    # the activity log (savepoints, the last entry, the insert): never one query per pair.
    assert _queries_for(1, rennes, brest) == _queries_for(3, rennes, brest) <= 13
