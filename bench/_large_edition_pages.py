"""The large edition's pages and exports, and who visits them (bench/large_edition.py).

Every organiser's and juror's URL of the URL confs that shows or exports the edition, its
rounds, jurors or dossiers, with the texts each answer must hold (a bench that times an error
page, or an empty list, fails).
"""

from dataclasses import dataclass

import _large_edition_data as data

CONTEST = "label-territoire-innovant"


@dataclass
class Page:
    name: str
    persona: str  # "organiser", "juror" or "president"
    url: str
    expected: list[str]  # texts the answer must hold (HTML, or an export's first rows)
    kind: str = "page"  # "page", "csv" or "xlsx"
    rows: int | None = None  # an export's data rows


@dataclass
class Cast:
    """Who visits the pages, and the dossiers and juror their URLs name."""

    edition: object
    organiser: object
    juror: object  # a juror of the national round with evaluations sent and still to do
    president: object  # the national jury's president (who validates the deliberation)
    open_reference: str  # a dossier that juror has still to evaluate
    sent_reference: str  # one whose evaluation they sent
    conflicts: int  # the juror's conflicts

    @classmethod
    def of(cls, edition) -> "Cast":
        from jury.enums import EvaluationState
        from jury.models import Assignment, Juror

        national = edition.rounds.get(slug=data.NATIONAL_SLUG)
        assignments = Assignment.objects.filter(juror__round=national).select_related(
            "application", "evaluation"
        )
        for juror in Juror.objects.filter(round=national, is_president=False).select_related(
            "user"
        ):
            mine = [a for a in assignments if a.juror_id == juror.pk]
            sent = [
                a
                for a in mine
                if getattr(a, "evaluation", None)
                and a.evaluation.state == EvaluationState.SUBMITTED
            ]
            still = [a for a in mine if not getattr(a, "evaluation", None)]
            if sent and still and juror.member.conflicts.exists():
                return cls(
                    edition,
                    data.organiser(),
                    juror,
                    Juror.objects.select_related("user").get(round=national, is_president=True),
                    still[0].application.reference,
                    sent[0].application.reference,
                    juror.member.conflicts.count(),
                )
        raise RuntimeError("no juror with evaluations sent and to do: the build changed")


def pages(cast: Cast, *, opened: bool) -> list[Page]:
    """The organisers' and jurors' pages of the edition and its exports (every URL of the URL
    confs that shows or exports the edition, its rounds, jurors or dossiers); with `opened`,
    the deliberation's pages instead (it is opened between the two lists)."""
    from django.urls import reverse

    year, slug = data.YEAR, data.NATIONAL_SLUG
    edition_args = [CONTEST, year]
    round_args = [CONTEST, year, slug]
    first = f"LTI-{year}-0001"

    def organiser(name: str, url_name: str, args: list, expected: list[str], **more) -> Page:
        return Page(name, "organiser", reverse(url_name, args=args), expected, **more)

    def juror(name: str, url_name: str, args: list, expected: list[str]) -> Page:
        return Page(name, "juror", reverse(url_name, args=args), expected)

    if opened:
        return [
            # A page of the board (awards.board_page): its first rows are the best ranked,
            # whichever they are; page 2 must exist at 2,000 dossiers.
            organiser(
                "deliberation board",
                "awards:deliberation",
                edition_args,
                ["Tableau de délibération", "Page 1 sur"],
            ),
            Page(
                "deliberation board page 2",
                "organiser",
                reverse("awards:deliberation", args=edition_args) + "?page=2",
                ["Tableau de délibération", "Page 2 sur"],
            ),
            organiser("deliberation decision", "awards:decision", [*edition_args, first], [first]),
            Page(
                "deliberation validation (president)",
                "president",
                reverse("awards:validate", args=edition_args),
                [first],
            ),
            organiser("publication", "awards:publication", edition_args, [str(year)]),
        ]
    return [
        organiser("dashboard", "contests:dashboard", [], [str(year)]),
        organiser("edition", "contests:edition_detail", edition_args, [str(year)]),
        organiser("edition levels", "contests:edition_levels", edition_args, [str(year)]),
        organiser("dossiers list", "applications:edition_applications", edition_args, [first]),
        organiser("dossier (organiser)", "applications:detail", [first], [first]),
        organiser("dossiers mailing", "applications:mailing", edition_args, [str(year)]),
        organiser(
            "dossiers questions", "applications:edition_questions", edition_args, [str(year)]
        ),
        organiser("eligibility", "jury:eligibility", edition_args, [first]),
        organiser("rounds list", "jury:rounds", edition_args, ["Jury national", "1937", "150"]),
        organiser("round detail", "jury:round_detail", round_args, [first]),
        organiser("round edit", "jury:round_update", round_args, ["Jury national"]),
        organiser("promotions", "jury:promotions", round_args, ["Jury national"]),
        organiser("jurors", "jury:jurors", round_args, [cast.juror.full_name]),
        organiser(
            "juror edit",
            "jury:juror_update",
            [*round_args, cast.juror.reference],
            [cast.juror.email],
        ),
        organiser("conflicts", "jury:conflicts", round_args, ["Jury national"]),
        organiser("assignment", "jury:assignment", round_args, [first]),
        organiser("progress", "jury:progress", round_args, [cast.juror.full_name]),
        organiser("dossier scores", "jury:entry_scores", [*round_args, first], [first]),
        organiser(
            "deliberation opening form", "awards:deliberation", edition_args, ["Jury national"]
        ),
        juror("juror home", "jury:home", [], ["Jury national"]),
        juror("juror round", "jury:juror_round", round_args, [cast.open_reference]),
        juror(
            "juror dossier to evaluate",
            "jury:evaluation",
            [*round_args, cast.open_reference],
            [cast.open_reference],
        ),
        juror(
            "juror dossier evaluated",
            "jury:evaluation",
            [*round_args, cast.sent_reference],
            [cast.sent_reference],
        ),
        juror("juror conflicts", "jury:declare_conflicts", round_args, ["Jury national"]),
        *exports(cast),
    ]


def exports(cast: Cast) -> list[Page]:
    from django.urls import reverse

    from applications.models import Application
    from jury.enums import EvaluationState
    from jury.models import Evaluation

    edition_args = [CONTEST, data.YEAR]
    round_args = [*edition_args, data.NATIONAL_SLUG]
    dossiers = Application.objects.filter(edition=cast.edition).count()
    evaluations = Evaluation.objects.filter(
        assignment__juror__round__edition=cast.edition, state=EvaluationState.SUBMITTED
    ).count()
    first = f"LTI-{data.YEAR}-0001"
    found = []
    for kind in ("csv", "xlsx"):
        found += [
            Page(
                f"dossiers {kind.upper()}",
                "organiser",
                reverse(f"opendata:applications_{kind}", args=edition_args),
                ["Référence", first],
                kind,
                dossiers,
            ),
            Page(
                f"results {kind.upper()}",
                "organiser",
                reverse(f"opendata:results_{kind}", args=edition_args),
                ["Référence du dossier", first],
                kind,
                dossiers,
            ),
            Page(
                f"evaluations {kind.upper()}",
                "organiser",
                reverse(f"opendata:evaluations_{kind}", args=round_args),
                ["Appréciation générale", first],
                kind,
                evaluations,
            ),
        ]
    return found
