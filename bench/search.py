"""Time the palmarès search over 100,000 synthetic awards, on SQLite and on PostgreSQL.

Each database is a fresh temporary one: a SQLite file, and a PostgreSQL database created on the
server of BENCH_DATABASE_URL (or on a local server at 127.0.0.1:5432 if one answers), dropped
afterwards. In each: the real referential and palmarès are imported, then 100,000 awards are
made from their vocabulary (titles cut and joined, organisations drawn from the referential,
random.Random(42)), including 5,000 in an edition under embargo, and indexed.

Then (after VACUUM ANALYZE), in process, with Django's test Client and time.perf_counter around each
request, the garbage collector set as a production worker sets it (palmares.memory.settle): the
search page and GET /api/v1/laureates over a fixed list of queries with facets, ROUNDS times
after one warm-up round (which loads the in-memory facets, looks each word up once, builds and
renders each page's awards and counts its facets, kept for the next requests; its time is
printed apart); the page again with every word looked up, every award built and rendered and
every facet counted anew each time ("cold_words": the first request after an index change); and
the raw full-text query alone (top 20 by bm25 / ts_rank, no facets, no public filter) for each
query that has words; and the page for a rare word (RARE_WORDS: each in about ten awards'
summaries), looked up anew every time ("rare_word": a word no visitor asked for since the index
changed).

Every timed answer is checked: status 200, and the same answer as in the warm-up round (the
page's count and awards, the API's count and ids; the page and the API agree on the count).
Requests come from spread client addresses, so that the API's rate limit (120 a minute per
address) never answers instead of the search; "api_rate_limit" then measures the limit itself:
one over-limit client (one address) sends twice the limit within one window; its first 120
answers must be the search's, the others 429 with Retry-After ("share_429": 0.5). The raw
full-text query must return as many rows as the search's own full-text function finds (at most
20), and each rare word must be in some award.
Prints one JSON line per figure:
{"name": ..., "database": "sqlite" | "postgresql", "ms": ...} (or "seconds", or "ratio").
Run: .venv/bin/python bench/search.py   (about two minutes)
     .venv/bin/python bench/search.py --profile   (also, after the warm-up, profiles the warm
     search page over the fixed queries, then the rare words' pages, ROUNDS times each, with
     cProfile, and prints the 50 costliest functions, cumulative then own time, on stderr;
     profiled requests are not timed)
"""

import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path
from statistics import quantiles
from urllib.parse import urlencode, urlsplit, urlunsplit

from _search_answers import Answers, spread_address

ROOT = Path(__file__).resolve().parent.parent
AWARDS = 100_000
EMBARGOED = 5_000
ROUNDS = 10
LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"

QUERIES: list[dict[str, str]] = [
    {},  # the whole palmarès, newest first
    {"year": "2024"},
    {"q": "données"},
    {"q": "ambassadeur"},
    {"q": "numérique responsable"},
    {"q": "inclusion numérique", "level": "or"},
    {"q": "services publics", "region": "53"},
    {"q": "citoyenne", "kind": "commune"},
    {"q": "médiation"},
    {"q": "plateforme participative", "order": "year"},
    {"q": "numérique"},  # the most frequent word of the titles
    {"q": "numérique", "page": "5"},
    {"q": "territoire intelligent", "theme": "territoire-intelligent-et-responsable"},
    {"q": "open data", "departement": "35"},
    {"q": "accès aux droits", "population": "10k-50k"},
    {"q": "Lyon"},
    {"kind": "metropole", "level": "argent"},
    {"region": "84", "population": "lt2k"},
    {"q": "qualité de l'air"},
    {"q": "licorne"},  # in no title: the empty-results page
]
# Words of no title, each added to the summary of one award in RARE_EVERY (so about ten awards
# each): what a visitor looking for something specific types.
RARE_WORDS = (
    "hydrolienne",
    "apiculture",
    "permaculture",
    "bibliobus",
    "ludothèque",
    "agrivoltaïsme",
    "recyclerie",
    "téléconsultation",
    "géothermie",
    "compostage",
)
RARE_EVERY = 1000


def main() -> None:
    if "--worker" in sys.argv:
        worker(sys.argv[sys.argv.index("--worker") + 1])
        return
    with tempfile.TemporaryDirectory() as tmp:
        run_worker("sqlite", f"sqlite:///{tmp}/bench.sqlite3")
    server = os.environ.get("BENCH_DATABASE_URL") or (LOCAL_POSTGRES if _reachable() else "")
    if server:
        with postgres_database(server) as url:
            run_worker("postgresql", url)


def run_worker(database: str, url: str) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        # The test settings: DEBUG off (no query log), plain static files, the testserver host.
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONPATH": str(ROOT),
    }
    profile = ["--profile"] if "--profile" in sys.argv else []
    subprocess.run([sys.executable, __file__, "--worker", database, *profile], env=env, check=True)


def _reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(LOCAL_POSTGRES, connect_timeout=2):
            return True
    except Exception:  # any failure means "no local PostgreSQL"
        return False


class postgres_database:
    """A fresh database on the server of `server_url`, dropped on exit."""

    def __init__(self, server_url: str):
        parts = urlsplit(server_url)
        self.name = f"palmares_bench_search_{uuid.uuid4().hex[:8]}"
        self.server = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
        self.url = urlunsplit(parts._replace(scheme="postgresql", path=f"/{self.name}"))

    def _run(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.server, autocommit=True) as connection:
            connection.execute(statement)

    def __enter__(self) -> str:
        self._run(f'CREATE DATABASE "{self.name}"')
        return self.url

    def __exit__(self, *exc) -> None:
        self._run(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def emit(database: str, name: str, **figures) -> None:
    print(json.dumps({"name": name, "database": database, **figures}), flush=True)


def worker(database: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("import_territories", verbosity=0)
    call_command("import_palmares", str(ROOT / "data" / "palmares.csv"), verbosity=0)
    started = time.perf_counter()
    make_awards()
    emit(database, "search_bench_awards_seconds", seconds=round(time.perf_counter() - started, 1))

    from catalogue.search import index_awards

    started = time.perf_counter()
    documents = index_awards()
    emit(
        database,
        "search_index_build_seconds",
        seconds=round(time.perf_counter() - started, 1),
        documents=documents,
    )
    from django.db import connection

    # Planner statistics and, on PostgreSQL, the visibility map, as a running server's
    # autovacuum keeps them; else its vacuum of the 100,000 new rows would run during the
    # measurements, on the same two cores.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    measure(database)


def make_awards() -> None:
    """AWARDS awards from the real vocabulary, EMBARGOED of them in an edition under embargo."""
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from awards.models import Award, AwardOrganisation
    from contests.models import Contest, Edition, Level, Phase, Theme
    from territories.models import Organisation

    rng = random.Random(42)  # noqa: S311 - deterministic synthetic data, not secrets
    real = list(Award.objects.values_list("title", flat=True).order_by("pk"))
    titles = [title.split() for title in real]
    vocabulary = [word for title in titles for word in title if len(word) > 3]
    theme_names = sorted(set(Theme.objects.values_list("name", flat=True)))
    contest = Contest.objects.get(slug="label-territoire-innovant")
    embargoed = Edition.objects.create(contest=contest, year=2031)
    now = timezone.now()
    Phase.objects.create(edition=embargoed, kind="embargo", starts_at=now - timedelta(days=1))
    for rank, code in enumerate(["or", "argent", "bronze"], start=1):
        Level.objects.create(edition=embargoed, code=code, name=code.capitalize(), rank=rank)
    editions = list(Edition.objects.filter(contest=contest).exclude(pk=embargoed.pk))
    parts = {}
    for edition in [*editions, embargoed]:
        for position, name in enumerate(theme_names, start=1):
            Theme.objects.get_or_create(
                edition=edition,
                slug=_slug(name),
                defaults={"name": name, "position": position},
            )
        parts[edition.pk] = (list(edition.levels.all()), list(edition.themes.all()))
    pools = {
        "commune": list(Organisation.objects.filter(kind="commune").values_list("pk", flat=True)),
        "epci": list(Organisation.objects.epcis().from_referential().values_list("pk", flat=True)),
        "other": list(
            Organisation.objects.filter(kind__in=["region", "departement"]).values_list(
                "pk", flat=True
            )
        ),
    }
    batch = 5_000
    with transaction.atomic():
        for start in range(0, AWARDS, batch):
            awards, organisations = [], []
            for number in range(start, start + batch):
                edition = embargoed if number < EMBARGOED else rng.choice(editions)
                levels, themes = parts[edition.pk]
                first, second = rng.choice(titles), rng.choice(titles)
                words = first[: rng.randint(1, len(first))] + second[rng.randint(0, len(second)) :]
                awards.append(
                    Award(
                        edition=edition,
                        level=rng.choice(levels) if rng.random() < 0.95 else None,
                        theme=rng.choice(themes) if rng.random() < 0.8 else None,
                        title=" ".join(words)[:300],
                        slug=f"banc-{number}",
                        summary=" ".join(rng.choices(vocabulary, k=rng.randint(10, 40)))
                        + _rare_word(number),
                    )
                )
                count = rng.choices([1, 2, 3], weights=[70, 25, 5])[0]
                pool = rng.choices(["commune", "epci", "other"], weights=[55, 35, 10])[0]
                organisations.append(rng.sample(pools[pool], count))
            Award.objects.bulk_create(awards)
            AwardOrganisation.objects.bulk_create(
                AwardOrganisation(
                    award=award,
                    organisation_id=organisation,
                    role="lead" if position == 0 else "partner",
                    position=position,
                )
                for award, chosen in zip(awards, organisations, strict=True)
                for position, organisation in enumerate(chosen)
            )


def _rare_word(number: int) -> str:
    """A rare word for one award in RARE_EVERY (drawn without the random generator, so that
    the other awards stay the same)."""
    if number % RARE_EVERY != 7:
        return ""
    return " " + RARE_WORDS[(number // RARE_EVERY) % len(RARE_WORDS)]


def _slug(name: str) -> str:
    from django.utils.text import slugify

    return slugify(name)[:120]


def measure(database: str) -> None:
    from django.test import Client

    from catalogue.search.analysis import query_terms
    from catalogue.search.backends import matching_award_ids
    from palmares.memory import settle

    settle()  # as a production worker does once it has loaded the site (deploy/gunicorn.conf.py)
    client = Client()
    answers = Answers()

    cpu: dict[str, list[float]] = defaultdict(list)  # the process's CPU time, per figure

    def get(url: str, *, record: bool = False, figure: str = "") -> float:
        """Milliseconds of one checked request, from a client address of its own."""
        started, used = time.perf_counter(), time.process_time()
        response = client.get(url, **spread_address())
        elapsed = (time.perf_counter() - started) * 1000
        cpu[figure].append((time.process_time() - used) * 1000)
        (answers.record if record else answers.check)(url, response)
        return elapsed

    urls = {
        "search_page": [f"/palmares/?{urlencode(query)}" for query in QUERIES],
        "api_laureates": [f"/api/v1/laureates?{urlencode(query)}" for query in QUERIES],
    }
    rare = [f"/palmares/?{urlencode({'q': word})}" for word in RARE_WORDS]
    started = time.perf_counter()
    for url in urls["search_page"] + urls["api_laureates"] + rare:  # warm-up: loads the facets
        get(url, record=True)
    emit(database, "search_warm_up_round_ms", ms=round((time.perf_counter() - started) * 1000))
    if "--profile" in sys.argv:
        profile(database, get, urls["search_page"], "warm search page")
        profile(database, get, rare, "rare word", before_each=forget_words)
    for page_url, api_url in zip(urls["search_page"], urls["api_laureates"], strict=True):
        answers.check_agreement(page_url, api_url)
    if not all(answers.expected[url][0] for url in rare):
        raise AssertionError("a rare word found nothing: the awards were not built as expected")
    timings: dict[str, list[float]] = {name: [] for name in urls}
    for _round in range(ROUNDS):
        for name, paths in urls.items():
            timings[name] += [get(url, figure=name) for url in paths]
    # The worst case: every word of every query looked up in the database again, the page's
    # awards built and rendered anew and its facets counted anew, as for the first request after
    # the index changed (a process keeps the words it looked up, the awards it showed with their
    # HTML, and the facet counts it made); and a rare word, which no visitor asked for since the
    # index changed.
    timings["search_page_cold_words"], timings["search_page_rare_word"] = [], []
    for _round in range(ROUNDS):
        for name, paths in (("search_page_cold_words", urls["search_page"]),
                            ("search_page_rare_word", rare)):  # fmt: skip
            for url in paths:
                forget_words()
                timings[name].append(get(url, figure=name))
    texts = [query_terms(query["q"]).terms for query in QUERIES if query.get("q")]
    rare_texts = [query_terms(word).terms for word in RARE_WORDS]
    # What the raw query must return, from the search's own full-text function: at most a
    # page of the awards holding every term (a rare word's ten or so; "licorne" none).
    expected_rows = {terms: min(20, len(matching_award_ids(terms))) for terms in texts + rare_texts}
    if not all(expected_rows[terms] for terms in rare_texts):
        raise AssertionError("a rare word is in no award: the awards were not built as expected")

    def raw(terms: tuple[str, ...]) -> float:
        elapsed, rows = raw_query(terms)
        if rows != expected_rows[terms]:
            raise AssertionError(f"raw query {terms}: {rows} rows, {expected_rows[terms]} expected")
        return elapsed

    timings["raw_fulltext"] = [raw(terms) for _round in range(ROUNDS) for terms in texts]
    timings["raw_fulltext_rare_word"] = [
        raw(terms) for _round in range(ROUNDS) for terms in rare_texts
    ]
    p95 = {}
    for name, values in timings.items():
        cuts = quantiles(values, n=100, method="inclusive")
        p95[name] = cuts[94]
        # On a shared machine the wall time also holds the waiting for a core: the CPU time
        # the process used says what the search costs.
        cpu_cuts = quantiles(cpu[name], n=100) if cpu[name] else []
        extra = {"cpu_p50_ms": round(cpu_cuts[49], 2)} if cpu_cuts else {}
        emit(database, f"{name}_p50_ms", ms=round(cuts[49], 2), **extra)
        extra = {"cpu_p95_ms": round(cpu_cuts[94], 2)} if cpu_cuts else {}
        emit(database, f"{name}_p95_ms", ms=round(cuts[94], 2), **extra)
    for name in ("search_page", "api_laureates", "search_page_cold_words"):
        emit(database, f"{name}_p95_to_raw_p95", ratio=round(p95[name] / p95["raw_fulltext"], 2))
    emit(database, "search_page_rare_word_p95_to_raw_p95",
         ratio=round(p95["search_page_rare_word"] / p95["raw_fulltext_rare_word"], 2))  # fmt: skip
    rate_limit(database, client, answers)


def forget_words() -> None:
    """What the process kept since the index changed: the words it looked up, the awards it
    showed (with each award's HTML, kept on the award), the facet counts it made."""
    from catalogue.search import current_facet_index

    index = current_facet_index()
    index.terms.clear()
    index.kept_awards.clear()
    index.counts.clear()


def profile(database: str, get, urls: list[str], what: str, before_each=None) -> None:
    """cProfile over `urls`, ROUNDS times (`before_each` run unprofiled before each request),
    printed on stderr."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    for _round in range(ROUNDS):
        for url in urls:
            if before_each:
                before_each()
            profiler.enable()
            get(url, figure="profiled")
            profiler.disable()
    print(f"--- {database}: {what}, {ROUNDS * len(urls)} requests", file=sys.stderr)
    stats = pstats.Stats(profiler, stream=sys.stderr)
    stats.sort_stats("cumulative").print_stats(50)
    stats.sort_stats("tottime").print_stats(50)


def rate_limit(database: str, client, answers: Answers) -> None:
    """The API's own limit as an over-limit client meets it: from one address, twice the limit
    within one window. The first `limit` answers must be the search's (checked as the timed
    ones are), every later one 429 with Retry-After; the figure is the share of 429."""
    from opendata.throttling import limits

    limit, window = limits()
    # A fixed window: start early in one, so that every request falls in the same.
    if time.time() % window > window / 3:
        time.sleep(window - time.time() % window + 0.5)
    url = f"/api/v1/laureates?{urlencode(QUERIES[0])}"
    address = {"REMOTE_ADDR": "192.0.2.121"}
    responses = [client.get(url, **address) for _ in range(2 * limit)]
    statuses = [response.status_code for response in responses]
    for response in responses[:limit]:
        answers.check(url, response)
    refused = [response for response in responses if response.status_code == 429]
    holds = statuses == [200] * limit + [429] * limit and all(
        response.get("Retry-After") for response in refused
    )
    emit(database, "api_rate_limit", requests=len(responses), limit=limit,
         accepted=statuses.count(200), refused=len(refused),
         share_429=round(len(refused) / len(responses), 3),
         retry_after=refused[0].get("Retry-After") if refused else None,
         within_budget=bool(holds))  # fmt: skip
    if not holds:
        raise AssertionError(f"the API's rate limit did not hold: {statuses}")


def raw_query(terms: tuple[str, ...]) -> tuple[float, int]:
    """Milliseconds of the bare full-text query (the 20 best matches, nothing else), and how
    many rows it returned."""
    from django.db import connection

    from catalogue.search.backends import FTS_TABLE, postgresql_query, sqlite_query

    if connection.vendor == "postgresql":
        sql = (
            "SELECT award_id FROM catalogue_searchdocument, to_tsquery('simple', %s) query"
            " WHERE search_vector @@ query ORDER BY ts_rank(search_vector, query) DESC LIMIT 20"
        )
        parameter = postgresql_query(terms)
    else:
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rank LIMIT 20"  # noqa: S608
        parameter = sqlite_query(terms)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, [parameter])
        rows = len(cursor.fetchall())
    return (time.perf_counter() - started) * 1000, rows


if __name__ == "__main__":
    main()
