"""The production stack of deploy/, started on loopback for `make prod-smoke` (deploy/smoke.py).

Everything comes from the files of record: nginx runs deploy/nginx/palmares.conf with only its
host, ports, certificate, upstreams and paths rewritten; gunicorn, the task worker and the daily
jobs run the ExecStart lines of deploy/systemd/ with the project's own interpreter. Each process
writes its output to a file of the work directory and is stopped on exit, whatever happened.
"""

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
SYSTEMD = DEPLOY / "systemd"
INSTALLED_PYTHON = "/srv/palmares/.venv/bin/python"
INSTALLED_GUNICORN = "/srv/palmares/.venv/bin/gunicorn"
START_SECONDS = 40
COMMAND_SECONDS = 600


class SmokeFailure(Exception):
    """A check failed: the message says what, in words a person can act on."""


@dataclass
class Stack:
    work: Path
    env: dict[str, str]
    https_port: int
    http_port: int
    gunicorn_ports: tuple[int, int]
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    @property
    def certificate(self) -> Path:
        return self.work / "tls" / "cert.pem"

    def log(self, name: str) -> Path:
        return self.work / "logs" / f"{name}.log"

    def logged_requests(self, request_ids: set[str], timeout: float = 10) -> dict:
        """nginx's access log lines by request id, once all of `request_ids` are there.

        nginx writes its line after the client has the answer (the log phase comes last): read
        straight away, the last request's line may not be there yet. CI once saw exactly that.
        """
        deadline = time.monotonic() + timeout
        while True:
            lines = json_lines(self.log("nginx-access"))
            logged = {line["request_id"]: line for line in lines}
            if request_ids <= logged.keys() or time.monotonic() > deadline:
                return logged
            time.sleep(0.1)

    def manage(self, *args: str, env: dict[str, str] | None = None) -> str:
        """`manage.py *args` with the stack's environment; its output, or SmokeFailure."""
        return run([sys.executable, "manage.py", *args], env or self.env)

    def start(self, name: str, command: list[str], env: dict[str, str] | None = None) -> None:
        with self.log(name).open("ab") as output:
            self.processes[name] = subprocess.Popen(  # noqa: S603 - our commands
                command,
                cwd=ROOT,
                env=env or self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a Ctrl-C in the terminal reaches us only
            )

    def stop(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        # nginx and gunicorn stop gracefully on SIGQUIT / SIGTERM; the worker finishes its task.
        process.send_signal(signal.SIGQUIT if name == "nginx" else signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def stop_all(self) -> None:
        for name in ("nginx", *sorted(self.processes)):
            self.stop(name)

    def alive(self, name: str) -> None:
        process = self.processes[name]
        if process.poll() is not None:
            tail = self.log(name).read_text(errors="replace")[-2000:]
            raise SmokeFailure(f"{name} s'est arrêté (code {process.returncode}) :\n{tail}")


def run(command: list[str], env: dict[str, str], timeout: int = COMMAND_SECONDS) -> str:
    result = subprocess.run(  # noqa: S603 - our own commands
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        raise SmokeFailure(
            f"`{shlex.join(command)}` a échoué ({result.returncode}) :\n"
            f"{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
        )
    return result.stdout


def setting_names() -> set[str]:
    """Every variable of the environment template (deploy/palmares.env.example)."""
    text = (DEPLOY / "palmares.env.example").read_text()
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE))


def unit_command(unit: str) -> list[str]:
    """The ExecStart of deploy/systemd/<unit>, run from this checkout with this interpreter."""
    lines = [
        line.removeprefix("ExecStart=")
        for line in (SYSTEMD / unit).read_text().splitlines()
        if line.startswith("ExecStart=")
    ]
    if len(lines) != 1:
        raise SmokeFailure(f"{unit} : une ligne ExecStart= attendue, {len(lines)} trouvées.")
    command = shlex.split(lines[0])
    if command[0] == INSTALLED_PYTHON:
        return [sys.executable, *command[1:]]
    if command[0] == INSTALLED_GUNICORN:
        return [sys.executable, "-m", "gunicorn", *command[1:]]
    raise SmokeFailure(f"{unit} : programme inattendu {command[0]}.")


def make_certificate(stack: Stack) -> None:
    """A self-signed certificate for 127.0.0.1, valid one day."""
    folder = stack.certificate.parent
    folder.mkdir()
    run(
        [
            "openssl",
            *("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"),
            *("-keyout", str(folder / "key.pem"), "-out", str(stack.certificate)),
        ],
        stack.env,
    )


def render_site(stack: Stack) -> str:
    """deploy/nginx/palmares.conf for this loopback stack; every rewritten token must exist."""
    site = (DEPLOY / "nginx" / "palmares.conf").read_text()
    first, second = stack.gunicorn_ports
    live = "/etc/letsencrypt/live/palmares.example.org"
    replacements = [
        (f"{live}/fullchain.pem", str(stack.certificate)),
        (f"{live}/privkey.pem", str(stack.certificate.parent / "key.pem")),
        ("    listen [::]:80;\n", ""),
        ("    listen [::]:443 ssl http2;\n", ""),
        ("listen 80;", f"listen 127.0.0.1:{stack.http_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{stack.https_port} ssl http2;"),
        ("server_name palmares.example.org;", "server_name 127.0.0.1;"),
        ("https://$host$request_uri", f"https://$host:{stack.https_port}$request_uri"),
        (
            "server 127.0.0.1:8001;",
            f"server 127.0.0.1:{first};\n    server 127.0.0.1:{second};",
        ),
        ("/srv/palmares/staticfiles/", f"{stack.work}/static/"),
        ("/var/log/nginx/palmares.access.log", f"{stack.work}/logs/nginx-access.log"),
        ("/var/log/nginx/palmares.error.log", f"{stack.work}/logs/nginx-error.log"),
    ]
    for token, replacement in replacements:
        if token not in site:
            raise SmokeFailure(f"deploy/nginx/palmares.conf ne contient plus « {token} ».")
        site = site.replace(token, replacement)
    return site


def start_nginx(stack: Stack) -> None:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    work = stack.work
    (work / "nginx-tmp").mkdir()
    (work / "palmares.conf").write_text(render_site(stack))
    temp_paths = "\n".join(
        f"    {kind}_temp_path {work}/nginx-tmp/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # As root, nginx would hand the work to `nobody`, who cannot read our private temporary
    # folder: this throwaway loopback server keeps the user that started it.
    user = "user root;\n" if os.geteuid() == 0 else ""
    (work / "nginx.conf").write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {work}/nginx.pid;\n"
        f"error_log {work}/logs/nginx-error.log warn;\n"
        "events { worker_connections 256; }\n"
        "http {\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
        f"    sendfile on;\n{temp_paths}\n    include {work}/palmares.conf;\n}}\n"
    )
    base = [nginx, "-p", str(work), "-e", f"{work}/logs/nginx-error.log"]
    run([*base, "-t", "-q", "-c", str(work / "nginx.conf")], stack.env)
    stack.start("nginx", [*base, "-c", str(work / "nginx.conf")])


def start_gunicorns(stack: Stack) -> None:
    """Two gunicorn instances, as two nodes would be: own port, own temporary directory."""
    command = unit_command("palmares-web.service")
    for letter, port in zip("ab", stack.gunicorn_ports, strict=True):
        tmp = stack.work / f"tmp-{letter}"
        tmp.mkdir()
        env = {
            **stack.env,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "2",
            "TMPDIR": str(tmp),  # where Django spools uploads in progress
        }
        stack.start(f"gunicorn-{letter}", command, env)


def wait_until_serving(stack: Stack) -> None:
    """Until nginx answers the home page through both gunicorns (each asked directly too)."""
    deadline = time.monotonic() + START_SECONDS
    probes = [
        *(f"http://127.0.0.1:{port}/" for port in stack.gunicorn_ports),
        f"{stack.base_url}/",
    ]
    headers = {"Host": f"127.0.0.1:{stack.https_port}", "X-Forwarded-Proto": "https"}
    session = requests.Session()
    session.trust_env = False  # no proxy, no CA bundle from the environment: loopback only
    for url in probes:
        while True:
            for name in list(stack.processes):
                stack.alive(name)
            try:
                answer = session.get(url, headers=headers, verify=stack.certificate, timeout=5)
                if answer.status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise SmokeFailure(f"{url} ne répond pas 200 après {START_SECONDS} s.")
            time.sleep(0.3)


@contextmanager
def redis_url(work: Path) -> Iterator[str]:
    """The machine's Redis (database 5, emptied before and after), or one of our own."""
    import redis

    configured = os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379/5")
    client = redis.Redis.from_url(configured)
    try:
        client.ping()
    except redis.RedisError:
        client = None
    if client is not None:
        client.flushdb()
        try:
            yield configured
        finally:
            client.flushdb()
        return
    from tests.browser.server import free_port

    port = free_port()
    log = (work / "logs" / "redis.log").open("ab")
    process = subprocess.Popen(  # noqa: S603 - Debian's redis-server, our arguments
        [
            shutil.which("redis-server") or "/usr/bin/redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        own = redis.Redis(port=port)
        for _ in range(50):
            try:
                own.ping()
                break
            except redis.RedisError:
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def json_lines(path: Path) -> list[dict]:
    """The JSON objects of a log, one per line (other lines skipped)."""
    return [json.loads(line) for line in path.read_text().splitlines() if line.startswith("{")]
