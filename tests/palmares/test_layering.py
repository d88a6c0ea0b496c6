"""The apps' layering, read from the code: no app imports one above it (docs/architecture.md).

territories ← accounts ← contests ← applications ← jury ← awards ← catalogue ← opendata, with
`notifications` below them all and `demo` above them all. A lower app that needs a higher one
offers a hook (a registry, a signal it sends, a permission the higher app registers) and the
higher one fills it in its AppConfig.ready. Every way of reaching another app's code counts:
`import`, `from … import` (at module level or inside a function), `importlib.import_module("…")`,
`apps.get_model("label", …)` and a model field's lazy reference ("label.Model").
"""

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# Lowest first. An app may import the apps before it, never those after it.
LAYERS = [
    "health",
    "notifications",
    "territories",
    "accounts",
    "contests",
    "applications",
    "jury",
    "awards",
    "catalogue",
    "opendata",
    "demo",
]
# The project package: its settings, URLs and WSGI entry see every app by design; its other
# modules (PDF printing, .ics writing, the page cache, permissions) sit below every app.
PROJECT = "palmares"
PROJECT_ENTRY_POINTS = {"settings.py", "urls.py", "wsgi.py", "asgi.py", "__init__.py"}

# (file, imported module) → why it may go up. Empty: keep it so, or explain every line.
ALLOWED: dict[tuple[str, str], str] = {}

FIELD_CLASSES = {"ForeignKey", "OneToOneField", "ManyToManyField"}


@dataclass(frozen=True)
class Reference:
    path: str  # relative to the repository root
    line: int
    target: str  # a dotted module, or an app label for get_model and lazy references


def app_of(module: str) -> str:
    return module.split(".")[0]


def references(path: Path) -> list[Reference]:
    """Every reference from this file to another top-level package of the repository."""
    relative = path.relative_to(ROOT).as_posix()
    found: list[Reference] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=relative)):
        if isinstance(node, ast.Import):
            found += [Reference(relative, node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append(Reference(relative, node.lineno, node.module))
        elif isinstance(node, ast.Call) and node.args:
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                continue
            lazy_model = name in FIELD_CLASSES and "." in first.value
            if name in {"import_module", "get_model"} or lazy_model:
                found.append(Reference(relative, node.lineno, first.value.split(".")[0]))
    return found


def python_files(package: str) -> list[Path]:
    return sorted(
        path
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.relative_to(ROOT).parts
    )


def upward_references() -> list[str]:
    rank = {app: position for position, app in enumerate(LAYERS)}
    found = []
    for app in LAYERS:
        for path in python_files(app):
            for ref in references(path):
                target = app_of(ref.target)
                if target in rank and rank[target] > rank[app]:
                    found.append(ref)
    for path in python_files(PROJECT):
        if path.parent.name == PROJECT and path.name in PROJECT_ENTRY_POINTS:
            continue
        found += [ref for ref in references(path) if app_of(ref.target) in rank]
    return [
        f"{ref.path}:{ref.line} → {ref.target}"
        for ref in found
        if (ref.path, ref.target) not in ALLOWED
    ]


def test_no_app_imports_an_app_above_it():
    assert upward_references() == []


def test_every_project_app_has_its_place_in_the_layers():
    """A new app must be placed in LAYERS (and in docs/architecture.md) before it can be checked."""
    project_apps = {
        config.name
        for config in django_apps.get_app_configs()
        if Path(config.path).resolve().parent == ROOT.resolve()
    }

    assert project_apps - set(LAYERS) == set()


def test_every_allowed_exception_still_exists_and_says_why():
    for (path, target), reason in ALLOWED.items():
        assert reason.strip(), path
        assert any(ref.target == target for ref in references(ROOT / path)), (
            f"{path} no longer imports {target}: remove its line from ALLOWED"
        )


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from jury.models import Juror\n", ["jury.models"]),
        ("def f():\n    from jury.scoring import recompute\n", ["jury.scoring"]),
        ("import jury.rules\n", ["jury.rules"]),
        ("import_module('awards.seeding')\n", ["awards"]),
        ("apps.get_model('jury', 'Juror')\n", ["jury"]),
        ("models.ForeignKey('jury.Juror', on_delete=CASCADE)\n", ["jury"]),
        ("from .models import Contest\n", []),
        ("models.ForeignKey(Contest, on_delete=CASCADE)\n", []),
    ],
)
def test_references_sees_every_way_of_reaching_an_app(tmp_path, monkeypatch, source, expected):
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    path = tmp_path / "contests" / "example.py"
    path.parent.mkdir()
    path.write_text(source, encoding="utf-8")

    assert [ref.target for ref in references(path)] == expected
