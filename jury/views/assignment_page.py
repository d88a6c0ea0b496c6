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
from django.forms import BoundField
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from applications.enums import ApplicationState
from palmares.paging import back_to_list, page_of, render_page_or_region

from ..domain.assign import fair_share, load_bounds
from ..enums import AssignmentSource, EvaluationState, JurorState
from ..forms.assignment import AddForm, LoadsForm, RunForm
from ..models import Assignment, Conflict, Juror, Round, RoundEntry

SEARCH_MAX = 100  # characters of the search kept (a reference or a few words)


def _number_input(field: BoundField) -> SafeString:
    """A load's labelled input, written here rather than by Django's widget templates: 300 of
    them cost a tenth of a second at 150 jurors."""
    value = field.value()
    errors = field.errors
    auto_id = field.auto_id
    html = format_html(
        '<label class="visually-hidden" for="{}">{}</label><input type="number" name="{}" '
        'id="{}" value="{}" min="0" max="999"',
        auto_id,
        field.label,
        field.html_name,
        auto_id,
        "" if value is None else value,
    )
    if not errors:
        return html + mark_safe(">")
    return html + format_html(
        ' aria-invalid="true" aria-describedby="{}_error"><div id="{}_error">{}</div>',
        auto_id,
        auto_id,
        errors,
    )


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
    def min_input(self) -> SafeString:
        return _number_input(self.min_field)

    @property
    def max_input(self) -> SafeString:
        return _number_input(self.max_field)

    @property
    def below(self) -> bool:
        return self.load < self.low

    @property
    def above(self) -> bool:
        return self.load > self.high


def _load_rows_html(rows: list[LoadRow]) -> list[SafeString]:
    """The loads table's <tr>, written here: 150 rows through the template's lookups and
    translation tags took half of the page's time. Each sentence is translated once."""
    below = format_html(" <strong>{}</strong>", gettext("(en dessous)"))
    above = format_html(" <strong>{}</strong>", gettext("(au-dessus)"))
    fixed, fair = gettext("(fixée)"), gettext("(part équitable)")
    target = gettext("%(low)s à %(high)s")
    return [
        format_html(
            '<tr><th scope="row">{}</th><td>{}</td><td>{}{}</td>'
            '<td>{} <span class="muted">{}</span></td><td>{}</td><td>{}</td></tr>',
            row.juror.full_name,
            row.juror.institution_label,
            row.load,
            below if row.below else above if row.above else "",
            target % {"low": row.low, "high": row.high},
            fixed if row.fixed else fair,
            row.min_input,
            row.max_input,
        )
        for row in rows
    ]


def accepted_jurors(round_: Round) -> list[Juror]:
    jurors = list(
        round_.jurors.filter(state=JurorState.ACCEPTED)
        .select_related("institution")
        .order_by("full_name", "pk")
    )
    # Counted apart: annotated on the jurors, the count grouped them by every column.
    assigned = dict(
        Assignment.objects.filter(juror__round=round_)
        .order_by()
        .values("juror")
        .annotate(n=Count("pk"))
        .values_list("juror", "n")
    )
    for juror in jurors:
        juror.assigned = assigned.get(juror.pk, 0)
    return jurors


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
    return (
        entries.select_related("application__theme")
        .only("application__reference", "application__title", "application__theme__name")
        .order_by("application__reference")
    )


@dataclass(frozen=True)
class AssignedJuror:
    """One juror of a dossier on the page, read as plain values (no model instances)."""

    juror_id: int
    name: str
    institution: str
    institution_key: str
    reference: str
    manual: bool
    sent: bool  # evaluation submitted
    evaluation: bool  # evaluation started (or sent)
    remove_label: SafeString


def _assigned(round_: Round, ids: list[int]) -> dict[int, list[AssignedJuror]]:
    by_dossier: dict[int, list[AssignedJuror]] = defaultdict(list)
    rows = (
        Assignment.objects.filter(juror__round=round_, application_id__in=ids)
        .order_by("juror__full_name")
        .values_list(
            "application_id",
            "application__reference",
            "juror_id",
            "juror__full_name",
            "juror__reference",
            "juror__institution_id",
            "juror__institution__name",
            "juror__institution_name",
            "source",
            "evaluation__id",
            "evaluation__state",
        )
    )
    # The button's text, as the template's blocktranslate wrote it (same message, escaped).
    remove = gettext(
        'Retirer<span class="visually-hidden"> %(name)s du dossier %(reference)s</span>'
    )
    for dossier, dossier_ref, juror, name, ref, org_id, org_name, free, source, ev, state in rows:
        # As Juror.institution_label and Juror.institution_key.
        institution = org_name if org_id else free
        key = f"org:{org_id}" if org_id else f"name:{free.strip().casefold()}"
        by_dossier[dossier].append(
            AssignedJuror(
                juror_id=juror,
                name=name,
                institution=institution,
                institution_key=key,
                reference=str(ref),
                manual=source == AssignmentSource.MANUAL,
                sent=ev is not None and state == EvaluationState.SUBMITTED,
                evaluation=ev is not None,
                remove_label=mark_safe(
                    remove % {"name": escape(name), "reference": escape(dossier_ref)}
                ),
            )
        )
    return by_dossier


def _dossier_rows(round_: Round, entries: list[RoundEntry]) -> list[tuple]:
    """(entry, assigned jurors, jurors in conflict, shared institution) per dossier of the
    page."""
    ids = [entry.application_id for entry in entries]
    by_dossier = _assigned(round_, ids)
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
        keys = [item.institution_key for item in items]
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
        "load_rows_html": _load_rows_html(load_rows),
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
