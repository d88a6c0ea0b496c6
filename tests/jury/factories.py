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


class JurorFactory(factory.django.DjangoModelFactory):
    """An accepted juror with an account, from an institution outside the referential."""

    class Meta:
        model = Juror

    round = factory.SubFactory(RoundFactory)
    user = factory.SubFactory(UserFactory)
    email = factory.LazyAttribute(lambda o: o.user.email if o.user else "jure@example.org")
    full_name = factory.Sequence(lambda n: f"Juré {n}")
    institution = None
    institution_name = factory.Sequence(lambda n: f"Institution partenaire {n}")
    state = JurorState.ACCEPTED
    capacity_max = 10


class ConflictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conflict

    juror = factory.SubFactory(JurorFactory)
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
