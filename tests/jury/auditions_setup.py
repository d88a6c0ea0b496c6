"""Arrangements shared by the auditions tests (H-aud): an audition round of a 2028 edition of the
« Label Territoire Innovant », dossiers of the Ville de Rennes (the `applicant` persona's), jurors,
sessions in November 2028. Tests of behaviour go through jury.domain; these only arrange data."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from applications.enums import ApplicationState
from contests.models import Edition
from jury.enums import RoundKind
from jury.models import AuditionSession, Juror, JurorAttendance, Round, SessionAvailability
from tests.factories import ApplicationFactory, ContestFactory, EditionFactory, UserFactory
from tests.jury.factories import JurorFactory, RoundEntryFactory, RoundFactory

PARIS = ZoneInfo("Europe/Paris")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2028, 11, day, hour, minute, tzinfo=PARIS)


@dataclass
class Setup:
    edition: Edition
    round: Round

    @property
    def kwargs(self) -> dict[str, object]:
        return {
            "contest_slug": self.edition.contest.slug,
            "year": self.edition.year,
            "round_slug": self.round.slug,
        }

    def dossier(self, number: int, state=ApplicationState.SUBMITTED, **fields):
        application = ApplicationFactory(
            edition=self.edition,
            reference=f"LTI-2028-{number:04d}",
            state=state,
            title=fields.pop("title", f"Projet {number}"),
            **fields,
        )
        RoundEntryFactory(round=self.round, application=application)
        return application

    def juror(self, name: str, **fields) -> Juror:
        email = f"{name.lower().replace(' ', '.')}@jury.example.org"
        user = UserFactory(email=email, full_name=name)
        return JurorFactory(round=self.round, user=user, full_name=name, **fields)

    def session(self, name: str, starts_at, ends_at, *, jurors=(), link="") -> AuditionSession:
        session = AuditionSession.objects.create(
            round=self.round, name=name, starts_at=starts_at, ends_at=ends_at, video_link=link
        )
        JurorAttendance.objects.bulk_create(
            [JurorAttendance(session=session, juror=juror) for juror in jurors]
        )
        return session

    def available(self, application, *sessions: AuditionSession) -> None:
        SessionAvailability.objects.bulk_create(
            [SessionAvailability(session=s, application=application) for s in sessions]
        )


def audition_setup() -> Setup:
    contest = ContestFactory(name="Label Territoire Innovant", slug="label-territoire-innovant")
    edition = EditionFactory(contest=contest, year=2028)
    round_ = RoundFactory(
        edition=edition, name="Auditions", slug="auditions", kind=RoundKind.AUDITION
    )
    return Setup(edition, round_)
