"""The checks of `make prod-smoke` (deploy/smoke.py): each drives the running stack over HTTPS.

A check raises SmokeFailure (or lets a requests / assertion error through) with what went wrong;
`Checks.run` records it and the smoke goes on with the next one.
"""

import hashlib
import html
import re
import shutil
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

import psycopg
import redis
import requests
from psycopg import sql
from smoke_http import FormFields, expect, form_of, new_session, post
from smoke_stack import SmokeFailure, Stack, json_lines, unit_command

PROJECT = "2024-ambassadondes-balade-urbaine-de-decouverte-des-champs-electromagnetiques"
PUBLIC_PAGES = (
    "/",
    "/palmares/",
    "/palmares/2024/",
    f"/projets/{PROJECT}/",
    "/qui-l-a-deja-fait/",
    "/carte/",
    "/statistiques/",
    "/evenements/",
    "/donnees/",
    "/api/v1/laureates?year=2024",
)
DAILY_UNITS = (
    "palmares-deadline-reminders.service",
    "palmares-jury-reminders.service",
    "palmares-membership-digest.service",
    "palmares-backup.service",
)
DOMAIN = "mairie-quimperle.fr"
EMAIL = f"agent.essai@{DOMAIN}"
PASSWORD = "Essai-de-production-2027"  # noqa: S105 - a throw-away account, throw-away database
VIDEO_BYTES = 50_000_000
MAIL_SECONDS = 60
# Run by `manage.py shell -c` before the stack starts (deploy/smoke.py, prepare).
ARRANGE = f"""
import json
from accounts.domain import add_verified_domain
from accounts.models import User
from territories.models import Organisation
organisation = Organisation.objects.get(kind="commune", insee_code="29233")
by = User.objects.create_user("exploitation@essai.invalid", is_organiser=True)
add_verified_domain(organisation, "{DOMAIN}", by=by)
print(json.dumps({{"slug": organisation.slug, "name": organisation.name}}))
"""


class Checks:
    def __init__(self) -> None:
        self.started = time.monotonic()
        self.passed: list[str] = []
        self.failures: list[tuple[str, str]] = []

    def step(self, label: str) -> None:
        print(f"[{time.monotonic() - self.started:6.1f} s] {label}", flush=True)

    def run(self, name: str, check: Callable[..., object], *args: object) -> object:
        began = time.monotonic()
        try:
            result = check(*args)
        except SmokeFailure as failure:
            self.failures.append((name, str(failure)))
            self.step(f"FAILED  {name}")
            return None
        except Exception as error:  # requests' errors, the mailbox's AssertionError…
            lines = traceback.format_exception(error, limit=3, chain=False)
            self.failures.append((name, "".join(lines)))
            self.step(f"FAILED  {name}")
            return None
        self.passed.append(name)
        self.step(f"ok      {name} ({time.monotonic() - began:.1f} s)")
        return result if result is not None else True

    def report(self, seconds: int, work: Path, *, keep: bool) -> int:
        for name, why in self.failures:
            print(f"\nprod-smoke FAILED: {name}\n{why}", file=sys.stderr)
        if keep:
            print(f"prod-smoke: logs kept in {work}/logs", flush=True)
        else:
            shutil.rmtree(work, ignore_errors=True)
        verdict = "every check passed" if not self.failures else f"{len(self.failures)} failed"
        print(f"prod-smoke: {len(self.passed)} checks ok, {verdict}, in {seconds} s", flush=True)
        return 1 if self.failures else 0


def run_all(checks: Checks, stack: Stack, mailbox, organisation: dict, year: int) -> None:
    checks.run("the daily jobs run once", daily_jobs, stack)
    checks.run("plain HTTP is redirected to HTTPS", redirect_to_https, stack)
    checks.run("public pages over HTTPS, request ids in both logs", public_pages, stack)
    checks.run("static files served by nginx, cached a year", static_files, stack)
    agent = checks.run("sign-up confirmed from its email", sign_up, stack, mailbox, organisation)
    reference = None
    if agent:
        reference = checks.run(
            "a dossier with a 50 MB video submitted", submit_dossier, stack, agent, year
        )
    if reference:
        checks.run("its receipt delivered by the worker", receipt, mailbox, reference)
    checks.run("a laureate's page cached once, served by both from Redis", shared_cache, stack)
    checks.run("/sante/ answers 200", health, stack)


# ------------------------------------------------------------------------------ helpers


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ------------------------------------------------------------------------------ checks


def daily_jobs(stack: Stack) -> None:
    # Independent of each other, as their timers are: run side by side, all waited for.
    for unit in DAILY_UNITS:
        stack.start(unit, unit_command(unit))
    for unit in DAILY_UNITS:
        code = stack.processes.pop(unit).wait(timeout=300)
        if code != 0:
            tail = stack.log(unit).read_text(errors="replace")[-2000:]
            raise SmokeFailure(f"{unit} a échoué ({code}) :\n{tail}")
    archives = list((stack.work / "backups").glob("palmares-*.tar.gz"))
    if len(archives) != 1:
        raise SmokeFailure(f"backup --keep : {len(archives)} archives au lieu d'une.")


def redirect_to_https(stack: Stack) -> None:
    answer = new_session(stack).get(
        f"http://127.0.0.1:{stack.http_port}/palmares/?q=eau", allow_redirects=False, timeout=10
    )
    expect(answer, 301, re.escape(f"{stack.base_url}/palmares/?q=eau"))
    if answer.headers.get("Server") != "nginx":
        raise SmokeFailure(f"en-tête Server : « {answer.headers.get('Server')} » (version ?)")


def public_pages(stack: Stack) -> None:
    ids = {}
    for path in (*PUBLIC_PAGES, "/page-inexistante/"):
        answer = new_session(stack).get(stack.base_url + path, allow_redirects=False, timeout=30)
        expect(answer, 404 if path == "/page-inexistante/" else 200)
        if "max-age=31536000" not in answer.headers.get("Strict-Transport-Security", ""):
            raise SmokeFailure(f"{path} : pas d'en-tête HSTS d'un an.")
        ids[path] = answer.headers.get("X-Request-ID", "")
    logged = stack.logged_requests(set(ids.values()))
    for path, request_id in ids.items():
        if logged.get(request_id, {}).get("path") != path.split("?")[0]:
            raise SmokeFailure(f"{path} : X-Request-ID {request_id!r} absent du journal nginx.")
    # Django's own log line about the 404 is JSON and carries the same id.
    app_lines = json_lines(stack.log("gunicorn-a")) + json_lines(stack.log("gunicorn-b"))
    if not any(
        line.get("request_id") == ids["/page-inexistante/"]
        and line.get("message") == "Not Found: /page-inexistante/"
        for line in app_lines
    ):
        raise SmokeFailure("la page 404 n'a pas laissé de ligne JSON avec son id dans gunicorn.")


def static_files(stack: Stack) -> None:
    home = new_session(stack).get(stack.base_url + "/", timeout=30)
    stylesheets = re.findall(r'href="(/static/[^"]+\.css)"', home.text)
    if not stylesheets:
        raise SmokeFailure("la page d'accueil ne cite aucune feuille de style /static/.")
    answer = new_session(stack).get(stack.base_url + stylesheets[0], timeout=10)
    expect(answer, 200)
    if "immutable" not in answer.headers.get("Cache-Control", ""):
        raise SmokeFailure(
            f"{stylesheets[0]} : Cache-Control « {answer.headers.get('Cache-Control')} »."
        )
    if "X-Request-ID" in answer.headers:  # Django would have added it: nginx did not serve it
        raise SmokeFailure(f"{stylesheets[0]} servi par l'application, pas par nginx.")


def sign_up(stack: Stack, mailbox, organisation: dict) -> requests.Session:
    agent = new_session(stack)
    url = stack.base_url + "/compte/inscription/"
    form = form_of(agent.get(url, timeout=30)).values
    form.update(email=EMAIL, full_name="Agent d'essai", password1=PASSWORD, password2=PASSWORD)
    expect(post(agent, url, form), 302, "/compte/inscription/envoyee/")
    # The subject starts with the site's contest (« <contest> : confirmez votre adresse… »).
    found = mailbox.wait_for(
        lambda m: (
            EMAIL in str(m["To"])
            and str(m["Subject"]).strip().endswith(" : confirmez votre adresse électronique")
        ),
        MAIL_SECONDS,
    )
    if len(found) != 1:
        raise SmokeFailure(f"{len(found)} courriels de confirmation pour {EMAIL}")
    message = found[0]
    body = message.get_body(preferencelist=("plain",)).get_content()
    links = re.findall(rf"{re.escape(stack.base_url)}/compte/confirmation/\S+/", body)
    if len(links) != 1:
        raise SmokeFailure(f"lien de confirmation introuvable dans :\n{body}")
    confirmed = agent.get(links[0], timeout=30)
    # The first use signs the person in and continues to « Mes dossiers » with a message.
    if f"{EMAIL} est confirmée" not in html.unescape(confirmed.text):
        raise SmokeFailure(f"{links[0]} : l'adresse n'est pas confirmée.")
    # The confirmation link signs the person in; then they sign out and in again with their
    # password, as they would another day.
    if "Se déconnecter" not in confirmed.text:
        raise SmokeFailure(f"{links[0]} : la confirmation n'a pas connecté la personne.")
    agent.cookies.clear()
    url = stack.base_url + "/compte/connexion/"
    form = form_of(agent.get(url, timeout=30)).values
    form.update(email=EMAIL, password=PASSWORD)
    signed_in = post(agent, url, form)
    if signed_in.status_code != 302:
        raise SmokeFailure(f"connexion refusée ({signed_in.status_code}).")
    url = stack.base_url + "/compte/structures/rattacher/"
    found = agent.get(url, params={"q": organisation["name"]}, timeout=30)
    form = form_of(found).values  # each result is a form asking to join it
    expect(post(agent, url, {**form, "organisation": organisation["slug"]}), 302, "/compte/")
    account = agent.get(stack.base_url + "/compte/", timeout=30)
    if organisation["name"] not in html.unescape(account.text):
        raise SmokeFailure("la structure n'apparaît pas sur la page du compte.")
    return agent


def make_video(path: Path) -> Path:
    """A real MP4 of about 54 MB: 32 frames of noise, which no encoder can shrink."""
    subprocess.run(  # noqa: S603 - Debian's ffmpeg, our arguments
        [
            shutil.which("ffmpeg") or "ffmpeg",
            *("-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "yuv420p"),
            *("-s", "1280x720", "-r", "25", "-i", "/dev/urandom", "-frames:v", "32"),
            *("-c:v", "mpeg4", "-q:v", "1", str(path)),
        ],
        check=True,
        timeout=120,
    )
    if path.stat().st_size < VIDEO_BYTES:
        raise SmokeFailure(f"vidéo d'essai trop petite : {path.stat().st_size} octets.")
    return path


def dossier_fields(fields: FormFields) -> dict[str, str]:
    """Every required answer of the dossier form, the others left as they are."""
    data = dict(fields.values)
    text = "Réponse de l'essai de production : les données ouvertes de la commune."
    for name in data:
        if name.startswith("criterion_"):
            data[name] = text
    data.update(
        title="Observatoire des données communales (essai de production)",
        summary=text,
        description=text,
        audience="Les habitants et les services de la commune.",
        started_on="2026-03-02",
        contact_name="Agent d'essai",
        contact_email=EMAIL,
    )
    data["theme"] = next(value for value, _label in fields.options["theme"] if value)
    data["project_stage"] = next(
        value for value, label in fields.options["project_stage"] if label == "Expérimentation"
    )
    return data


def submit_dossier(stack: Stack, agent: requests.Session, year: int) -> str:
    url = stack.base_url + f"/candidatures/nouveau/label-territoire-innovant/{year}/"
    form = form_of(agent.get(url, timeout=30)).values
    created = post(agent, url, form)
    expect(created, 302, rf"/candidatures/LTI-{year}-\d{{4}}/modifier/")
    reference = created.headers["Location"].split("/")[2]
    dossier = stack.base_url + f"/candidatures/{reference}/"

    video = make_video(stack.work / "pitch.mp4")
    # The files page holds one form per action; the video's posts to video/deposer/.
    upload = dossier + "video/deposer/"
    page = agent.get(dossier + "pieces/", timeout=30)
    expect(page, 200)
    form = FormFields(f"/candidatures/{reference}/video/deposer/", None)
    form.feed(page.text)
    if "csrfmiddlewaretoken" not in form.values:
        raise SmokeFailure(f"{dossier}pieces/ : pas de formulaire de dépôt de vidéo.")
    with video.open("rb") as stream:
        uploaded = agent.post(
            upload,
            data={"csrfmiddlewaretoken": form.values["csrfmiddlewaretoken"]},
            files={"video-file": ("pitch.mp4", stream, "video/mp4")},
            headers={"Referer": dossier + "pieces/"},
            allow_redirects=False,
            timeout=120,
        )
    expect(uploaded, 302, re.escape(f"/candidatures/{reference}/pieces/"))
    if "La vidéo est déposée" not in agent.get(dossier + "pieces/", timeout=30).text:
        raise SmokeFailure("la vidéo n'est pas annoncée comme déposée.")
    stored = [path for path in (stack.work / "media").rglob("*") if path.is_file()]
    if sha256(video) not in {sha256(path) for path in stored if path.stat().st_size > 1e6}:
        raise SmokeFailure("la vidéo stockée dans MEDIA_ROOT n'est pas celle envoyée.")

    fields = form_of(agent.get(dossier + "modifier/", timeout=30), "dossier")
    submitted = post(agent, dossier + "deposer/", {**dossier_fields(fields), "action": "submit"})
    expect(submitted, 302, re.escape(f"/candidatures/{reference}/"))
    if "Dossier déposé le" not in agent.get(dossier, timeout=30).text:
        raise SmokeFailure(f"{reference} : le dépôt n'est pas confirmé sur sa page.")
    return reference


def receipt(mailbox, reference: str) -> None:
    found = mailbox.wait_for(
        lambda m: str(m["Subject"]).startswith(f"Dossier {reference} déposé"), MAIL_SECONDS
    )
    names = [part.get_filename() for part in found[0].iter_attachments()]
    if EMAIL not in str(found[0]["To"]) or names != [f"recepisse-{reference}.pdf"]:
        raise SmokeFailure(f"accusé de réception : à {found[0]['To']}, pièces {names}.")


def shared_cache(stack: Stack) -> None:
    path = f"/projets/{PROJECT}/"
    with psycopg.connect(stack.env["DATABASE_URL"], autocommit=True) as connection:
        (title,) = connection.execute(
            "SELECT title FROM awards_award WHERE slug = %s", [PROJECT]
        ).fetchone()
        first = new_session(stack).get(stack.base_url + path, timeout=30)
        expect(first, 200)
        # Changed behind Django's back (no signal): only a cached copy still shows the old title.
        connection.execute(
            "UPDATE awards_award SET title = title || ' (modifié en base)' WHERE slug = %s",
            [PROJECT],
        )
    request_ids = set()
    for _ in range(6):
        again = new_session(stack).get(stack.base_url + path, timeout=30)
        expect(again, 200)
        if "modifié en base" in again.text or html.escape(title) not in again.text:
            raise SmokeFailure(f"{path} a été recalculée au lieu d'être lue dans le cache.")
        request_ids.add(again.headers.get("X-Request-ID", ""))
    logged = stack.logged_requests(request_ids)
    upstreams = {logged[id_]["upstream"] for id_ in request_ids if id_ in logged}
    expected = {f"127.0.0.1:{port}" for port in stack.gunicorn_ports}
    if upstreams != expected:
        raise SmokeFailure(f"{path} servie par {sorted(upstreams)}, pas par les deux instances.")
    if not redis.Redis.from_url(stack.env["REDIS_URL"]).dbsize():
        raise SmokeFailure("Redis ne contient aucune clé : le cache n'est pas partagé.")


def health(stack: Stack) -> None:
    answer = new_session(stack).get(stack.base_url + "/sante/", timeout=30)
    if answer.status_code != 200 or answer.json().get("status") != "ok":
        raise SmokeFailure(f"/sante/ : {answer.status_code} {answer.text}")


def table_digests(database_url: str) -> dict[str, tuple[int, str]]:
    """(rows, MD5 of the sorted rows) of every table of the database."""
    digests = {}
    with psycopg.connect(database_url) as connection:
        tables = connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
        ).fetchall()
        for (table,) in tables:
            query = sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
                " FROM {} AS t"
            ).format(sql.Identifier(table))
            digests[table] = connection.execute(query).fetchone()
    return digests


def backup_drill(stack: Stack, restored_url: str) -> None:
    before = table_digests(stack.env["DATABASE_URL"])
    archive = stack.work / "drill.tar.gz"
    stack.manage("backup", "--output", str(archive))
    restored_media = stack.work / "media-restored"
    env = {**stack.env, "DATABASE_URL": restored_url, "MEDIA_ROOT": str(restored_media)}
    stack.manage("restore", str(archive), "--yes", env=env)
    after = table_digests(restored_url)
    different = sorted(
        table for table in before.keys() | after.keys() if before.get(table) != after.get(table)
    )
    if different:
        raise SmokeFailure(f"tables différentes après restauration : {', '.join(different)}")
    if sum(rows for rows, _digest in before.values()) < 30_000:
        raise SmokeFailure("la base comparée est presque vide : le référentiel manque.")
    media, copies = stack.work / "media", restored_media

    def tree(root: Path) -> dict[str, str]:
        return {p.relative_to(root).as_posix(): sha256(p) for p in root.rglob("*") if p.is_file()}

    if tree(media) != tree(copies) or not tree(media):
        raise SmokeFailure("les fichiers déposés restaurés diffèrent des originaux.")
