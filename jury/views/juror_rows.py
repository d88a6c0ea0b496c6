"""The rows of a round's jurors list, written in Python: 150 jurors through the template's
lookups, filters and a URL reversed per row cost most of the page's time."""

from collections import defaultdict

from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from contests.content_language import in_content_language

from ..models import Juror, Round


def _theme_names(round_: Round) -> dict[int, list[str]]:
    """Each juror's themes of expertise, in the edition's theme order, as names: a prefetch
    built a queryset per juror."""
    names: dict[int, list[str]] = defaultdict(list)
    for juror_id, name in (
        Juror.themes.through.objects.filter(juror__round=round_)
        .order_by("theme__position", "theme__name")
        .values_list("juror_id", "theme__name")
    ):
        names[juror_id].append(conditional_escape(in_content_language(name)))
    return names


def _load(juror: Juror) -> str:
    if juror.capacity_min is None and juror.capacity_max is None:
        return conditional_escape(_("part équitable"))
    low = "—" if juror.capacity_min is None else juror.capacity_min
    high = "—" if juror.capacity_max is None else juror.capacity_max
    return f"{low} – {high}"


def juror_rows(round_: Round, jurors: list[Juror]) -> list[SafeString]:
    """One <tr> per juror (annotated with assigned_count and conflicts_count), as the list
    showed them: name linked to the juror's page, president, email, state, institution, themes,
    load, dossiers assigned, conflicts."""
    if not jurors:
        return []
    edition = round_.edition
    # One URL reversed, the others by replacing the juror's reference (a UUID) in it.
    first = str(jurors[0].reference)
    url = reverse(
        "jury:juror_update", args=[edition.contest.slug, edition.year, round_.slug, first]
    )
    themes = _theme_names(round_)
    president = format_html(' <span class="muted">({})</span>', _("président"))
    rows = []
    for juror in jurors:
        rows.append(
            format_html(
                '<tr><th scope="row"><a href="{}">{}</a>{}<br><span class="muted">{}</span></th>'
                "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                url.replace(first, str(juror.reference)),
                juror.full_name,
                president if juror.is_president else "",
                juror.email,
                juror.get_state_display(),
                juror.institution_label,
                mark_safe(", ".join(themes[juror.pk]) or "—"),  # escaped above
                mark_safe(_load(juror)),  # escaped above (numbers otherwise)
                juror.assigned_count,
                juror.conflicts_count,
            )
        )
    return rows
