"""The assignment page itself (jury.views.assignment holds its actions): one page of the round's
dossiers, found by reference, title or lead structure, and every juror's load.

At the scale of a big label (2,000 dossiers, 5,800 assignments) the dossiers come PER_PAGE at a
time, and the hand-made assignment names its dossier by reference instead of a list of every
dossier: the organiser finds any dossier in two actions (search, then remove or add). Totals
(dossiers, assignments, loads) are counted over the whole round, never over the page.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from applications.enums import ApplicationState
from palmares.paging import back_to_list, page_of, render_page_or_region

from ..domain.assign import fair_share, load_bounds
from ..enums import EvaluationState, JurorState
from ..forms.assignment import AddForm, LoadsForm, RunForm
from ..models import Assignment, Conflict, Juror, Round, RoundEntry

SEARCH_MAX = 100  # characters of the search kept (a reference or a few words)


@dataclass(frozen=True)
class LoadRow:
    juror: Juror
    load: int
    low: int  # target, what the solver aims at
    high: int
    fixed: bool  # set by the organisers (strict), else the fair share
    min_field: object
    max_field: object

    @property
    def below(self) -> bool:
        return self.load < self.low

    @property
    def above(self) -> bool:
        return self.load > self.high


def accepted_jurors(round_: Round) -> list[Juror]:
    return list(
        round_.jurors.filter(state=JurorState.ACCEPTED)
        .select_related("institution")
        .annotate(assigned=Count("assignments"))
        .order_by("full_name", "pk")
    )


def competing_entries(round_: Round) -> QuerySet[RoundEntry]:
    """The round's dossiers still in competition (as `jury.domain.assign.round_entries`), as a
    query, so that a page reads only its own rows."""
    return round_.entries.filter(application__state__in=ApplicationState.in_competition())


def search_text(request: HttpRequest) -> str:
    return request.GET.get("q", "").strip()[:SEARCH_MAX]


def found_entries(round_: Round, text: str) -> QuerySet[RoundEntry]:
    entries = competing_entries(round_)
    if text:
        entries = entries.filter(
            Q(application__reference__icontains=text)
            | Q(application__title__icontains=text)
            | Q(application__lead_organisation__name__icontains=text)
        )
    return entries.select_related("application__theme").order_by("application__reference")


def _dossier_rows(round_: Round, entries: list[RoundEntry]) -> list[tuple]:
    """(entry, assignments, jurors in conflict, shared institution) per dossier of the page."""
    ids = [entry.application_id for entry in entries]
    by_dossier: dict[int, list[Assignment]] = defaultdict(list)
    for item in (
        Assignment.objects.filter(juror__round=round_, application_id__in=ids)
        .select_related("juror__institution", "evaluation")
        .order_by("juror__full_name")
    ):
        item.sent = getattr(item, "evaluation", None) is not None and (
            item.evaluation.state == EvaluationState.SUBMITTED
        )
        by_dossier[item.application_id].append(item)
    # The round's jurors whose person is in conflict with the dossier, whichever round found it.
    conflicts = dict(
        Conflict.objects.effective()
        .filter(member__jurors__round=round_, application_id__in=ids)
        .values("application_id")
        .annotate(n=Count("member", distinct=True))
        .values_list("application_id", "n")
    )
    rows = []
    for entry in entries:
        items = by_dossier.get(entry.application_id, [])
        keys = [item.juror.institution_key for item in items]
        rows.append(
            (entry, items, conflicts.get(entry.application_id, 0), len(set(keys)) < len(keys))
        )
    return rows


def back_to_page(request: HttpRequest, round_: Round) -> str:
    """The assignment page with the search and page number an action's form carried."""
    edition = round_.edition
    url = reverse("jury:assignment", args=[edition.contest.slug, edition.year, round_.slug])
    return back_to_list(request, url)


def assignment_page(
    request: HttpRequest,
    round_: Round,
    jurors: list[Juror],
    *,
    run_form: RunForm | None = None,
    add_form: AddForm | None = None,
    loads_form: LoadsForm | None = None,
    causes: list[str] | None = None,
) -> HttpResponse:
    """The page, with the form an action refused bound to what was sent, or the causes of an
    infeasible round (answered 422)."""
    text = search_text(request) if request.method == "GET" else ""
    dossiers = competing_entries(round_).count()
    page = page_of(request, found_entries(round_, text))
    per_dossier = round_.jurors_per_dossier
    share = fair_share(dossiers, per_dossier, len(jurors))
    loads_form = loads_form if loads_form is not None else LoadsForm(jurors=jurors, prefix="loads")
    load_rows = []
    for juror, min_field, max_field in loads_form.rows():
        _low, target_low, target_high, _high = load_bounds(juror, share, dossiers)
        fixed = juror.capacity_min is not None or juror.capacity_max is not None
        load_rows.append(
            LoadRow(juror, juror.assigned, target_low, target_high, fixed, min_field, max_field)
        )
    context = {
        "round": round_,
        "edition": round_.edition,
        "contest": round_.edition.contest,
        "rows": _dossier_rows(round_, list(page.object_list)),
        "page": page,
        "query": text,
        "dossiers": dossiers,
        "load_rows": load_rows,
        "share": share,
        "per_dossier": per_dossier,
        "jurors_count": len(jurors),
        "invited": Juror.objects.filter(round=round_, state=JurorState.INVITED).count(),
        "run_form": run_form
        if run_form is not None
        else RunForm(prefix="run", initial={"per_dossier": per_dossier}),
        "add_form": add_form if add_form is not None else AddForm(round_=round_, jurors=jurors),
        "loads_form": loads_form,
        "causes": causes or [],
        # Over the whole round, not the page: every assignment of its competing dossiers.
        # (the round's jurors are assigned only its dossiers; a subquery on the entries made
        # SQLite probe every pair)
        "assigned_total": Assignment.objects.filter(
            juror__round=round_, application__state__in=ApplicationState.in_competition()
        ).count(),
    }
    return render_page_or_region(
        request,
        "jury/assignment/assignment.html",
        "jury/assignment/dossiers.html",
        context,
        status=422 if causes else 200,
    )
