"""One factory per model (factory_boy). Real referential rows are preferred where they exist."""

import factory
from django.utils import timezone
from django.utils.text import slugify

from accounts.enums import MembershipState
from accounts.models import Membership, User
from awards.models import Award, AwardOrganisation
from contests.models import Contest, Criterion, Edition, Event, Level, Phase, Theme
from territories.enums import OrganisationKind
from territories.models import Organisation


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    full_name = factory.Sequence(lambda n: f"Personne {n}")
    email_confirmed_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", "mot-de-passe-solide-42")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    """A structure added by hand (not from the referential)."""

    class Meta:
        model = Organisation

    kind = OrganisationKind.ASSOCIATION
    name = factory.Sequence(lambda n: f"Association numérique {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    from_referential = False


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    state = MembershipState.CONFIRMED


class ContestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contest
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Concours {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    kind = "forum"
    name = factory.Sequence(lambda n: f"Forum {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    city = "Marseille"


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition

    contest = factory.SubFactory(ContestFactory)
    year = factory.Sequence(lambda n: 2030 + n)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    edition = factory.SubFactory(EditionFactory)
    name = factory.Sequence(lambda n: f"Thème {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    edition = factory.SubFactory(EditionFactory)
    name = factory.Sequence(lambda n: f"Critère {n}")


class LevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Level

    edition = factory.SubFactory(EditionFactory)
    code = factory.Sequence(lambda n: f"niveau-{n}")
    name = factory.Sequence(lambda n: f"Niveau {n}")
    rank = factory.Sequence(lambda n: n + 1)


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    edition = factory.SubFactory(EditionFactory)
    kind = "draft"
    starts_at = factory.LazyFunction(timezone.now)


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Award

    edition = factory.SubFactory(EditionFactory)
    title = factory.Sequence(lambda n: f"Projet innovant {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))


class AwardOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwardOrganisation

    award = factory.SubFactory(AwardFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "lead"
