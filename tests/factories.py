"""One factory per model (factory_boy). Real referential rows are preferred where they exist."""

import factory
from django.utils import timezone
from django.utils.text import slugify

from accounts.enums import MembershipState
from accounts.models import Membership, User
from applications.models import Application
from awards.models import Award, AwardOrganisation
from contests.models import (
    Contest,
    Criterion,
    Distinction,
    Edition,
    Event,
    Level,
    Phase,
    Theme,
)
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


class DistinctionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Distinction

    edition = factory.SubFactory(EditionFactory)
    code = factory.Sequence(lambda n: f"distinction-{n}")
    name = factory.Sequence(lambda n: f"Distinction {n}")


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


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft dossier of the Ville de Rennes (real referential row)."""

    class Meta:
        model = Application

    edition = factory.SubFactory(EditionFactory)
    reference = factory.Sequence(lambda n: f"LTI-2026-{n + 1:04d}")
    lead_organisation = factory.LazyFunction(
        lambda: Organisation.objects.get(kind="commune", insee_code="35238")
    )
    created_by = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Projet numérique {n}")


# Parts of a dossier (applications). Tests of the workflow create dossiers through
# applications.domain; these factories only arrange data.


class ApplicationPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "applications.ApplicationPartner"

    application = factory.SubFactory(ApplicationFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class CriterionAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "applications.CriterionAnswer"

    application = factory.SubFactory(ApplicationFactory)
    criterion = factory.SubFactory(CriterionFactory)
    text = "Notre réponse à ce critère."


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "applications.Question"

    edition = factory.SubFactory(EditionFactory)
    label = factory.Sequence(lambda n: f"Question complémentaire {n}")
    kind = "short_text"


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "applications.Answer"

    application = factory.SubFactory(ApplicationFactory)
    question = factory.SubFactory(QuestionFactory)
    value = "Notre réponse."


class VerifiedDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.VerifiedDomain"

    organisation = factory.SubFactory(OrganisationFactory)
    domain = factory.Sequence(lambda n: f"structure{n}.fr")
    verified_by = factory.SubFactory(UserFactory, is_organiser=True)


# Organisers' emails to applicants (applications/mailing.py).


class MailingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "applications.Mailing"

    edition = factory.SubFactory(EditionFactory)
    subject = factory.Sequence(lambda n: f"Message aux candidats {n}")
    body = "Bonjour,\n\nLe dossier {{ reference }} est bien reçu."
    sent_by = factory.SubFactory(UserFactory, is_organiser=True)


class ReminderSentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "applications.ReminderSent"

    application = factory.SubFactory(ApplicationFactory)
    days_before = 7
    sent_at = factory.LazyFunction(timezone.now)
