"""Factories of the jury app. They arrange data only; tests of behaviour go through jury.domain."""

import factory
from django.utils import timezone

from jury.enums import (
    AssignmentSource,
    ConflictReason,
    ConflictSource,
    JurorState,
    RoundKind,
)
from jury.models import (
    Assignment,
    Conflict,
    CriterionScore,
    Eligibility,
    Evaluation,
    Juror,
    JuryMember,
    Round,
    RoundEntry,
)
from tests.factories import ApplicationFactory, EditionFactory, OrganisationFactory, UserFactory


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    edition = factory.SubFactory(EditionFactory)
    name = factory.Sequence(lambda n: f"Jury national {n}")
    slug = factory.Sequence(lambda n: f"tour-{n}")
    kind = RoundKind.NATIONAL


class RoundEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoundEntry

    round = factory.SubFactory(RoundFactory)
    application = factory.SubFactory(
        ApplicationFactory, edition=factory.SelfAttribute("..round.edition")
    )

    class Params:
        # `eliminated=True`: one stored reason, as jury.scoring writes it (the reasons are the
        # elimination's only record).
        eliminated = factory.Trait(
            elimination=[{"criterion": "Sobriété", "jurors": 1, "comments": ["Insuffisant."]}]
        )


class EligibilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Eligibility

    application = factory.SubFactory(ApplicationFactory)
    eligible = True
    decided_at = factory.LazyFunction(timezone.now)


def member_of(juror) -> JuryMember:
    """The edition's member with the juror's address (made from the juror's identity if new):
    two jurors of one address in two rounds of an edition are one person, as in the app."""
    member, _created = JuryMember.objects.get_or_create(
        edition=juror.round.edition,
        email=juror.email,
        defaults={
            "user": juror.user,
            "full_name": juror.full_name,
            "institution": juror.institution,
            "institution_name": juror.institution_name,
            "state": juror.state,
        },
    )
    return member


class JurorFactory(factory.django.DjangoModelFactory):
    """An accepted juror with an account, from an institution outside the referential (and the
    edition's member it is a seat of)."""

    class Meta:
        model = Juror

    round = factory.SubFactory(RoundFactory)
    user = factory.SubFactory(UserFactory)
    email = factory.LazyAttributeSequence(
        lambda o, n: o.user.email if o.user else f"jure-{n}@example.org"
    )
    full_name = factory.Sequence(lambda n: f"Juré {n}")
    institution = None
    institution_name = factory.Sequence(lambda n: f"Institution partenaire {n}")
    state = JurorState.ACCEPTED
    member = factory.LazyAttribute(member_of)


class ConflictFactory(factory.django.DjangoModelFactory):
    """A conflict of the person behind `juror` (the edition's member), declared in its round."""

    class Meta:
        model = Conflict

    class Params:
        juror = factory.SubFactory(JurorFactory)

    member = factory.LazyAttribute(lambda o: o.juror.member)
    round = factory.LazyAttribute(lambda o: o.juror.round)
    application = factory.SubFactory(ApplicationFactory)
    source = ConflictSource.DECLARED
    reason_code = ConflictReason.DECLARED
    reason = "Je connais l'équipe du projet."


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    juror = factory.SubFactory(JurorFactory)
    application = factory.SubFactory(
        ApplicationFactory, edition=factory.SelfAttribute("..juror.round.edition")
    )
    source = AssignmentSource.MANUAL


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evaluation

    assignment = factory.SubFactory(AssignmentFactory)


class CriterionScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CriterionScore

    evaluation = factory.SubFactory(EvaluationFactory)
    score = 3


__all__ = ["OrganisationFactory"]
