"""No word of one contest in another: templates, emails, documents and open-data descriptors name
a contest, its organisation, its events and its levels from data, never by hard-coded words.

What a contest is called (« Territoire Innovant »), who awards it (« Les Interconnectés »), what
its ceremony and regional stages are called (« Forum », « IntercoTOUR ») and its level codes (or,
argent, bronze) are the seeded data of that one contest (contests migrations, demo/, data/): a
page, an email, a document or an open-data file of another contest must not say them. The scan
reads every template of the project (pages, email and document templates) and the text the
open-data descriptors and document builders write (their string constants; comments and
docstrings are for developers and may cite the Label as an example).
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The seeded data of the Label and the tests: where its words belong.
EXCLUDED_PARTS = {"demo", "data", "migrations", "tests", ".venv", "vendor", "node_modules"}
# Python modules whose strings are written into documents and open-data files.
PYTHON_SOURCES = (
    "opendata/descriptors.py",
    "opendata/openapi.py",
    "opendata/table.py",
    "awards/documents",
)


@dataclass(frozen=True)
class Word:
    name: str
    pattern: re.Pattern


WORDS = (
    Word("Territoire Innovant", re.compile(r"territoires?\s+innovants?", re.IGNORECASE)),
    Word("Interconnectés", re.compile(r"interconnect", re.IGNORECASE)),
    Word("IntercoTOUR", re.compile(r"intercotour", re.IGNORECASE)),
    # Capitalised: the event's name in prose, not a `forum` variable or CSS class.
    Word("Forum", re.compile(r"\bForums?\b")),
    Word("argent/bronze", re.compile(r"\b(argent|bronze)\b", re.IGNORECASE)),
    # The code « or » (gold): quoted as a value, in a query, or in « label(s) or ».
    Word("or", re.compile(r"[\"']or[\"']|level=or\b|\blabels?\s+or\b|«\s*or\s*»")),
)
TEMPLATE_COMMENTS = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", re.DOTALL)


def excluded(path: Path) -> bool:
    return bool(EXCLUDED_PARTS & set(path.relative_to(ROOT).parts))


def template_files() -> list[Path]:
    return sorted(
        path for path in ROOT.glob("*/templates/**/*") if path.is_file() and not excluded(path)
    )


def python_files() -> list[Path]:
    files: list[Path] = []
    for source in PYTHON_SOURCES:
        path = ROOT / source
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return [path for path in files if path.exists()]


def template_text(path: Path) -> str:
    return TEMPLATE_COMMENTS.sub("", path.read_text(encoding="utf-8"))


def python_strings(path: Path) -> str:
    """The string constants of a module, its docstrings left out, one per line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return "\n".join(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    )


def findings(name: str, text: str) -> list[str]:
    return [
        f"{name}: « {match.group(0)} » ({word.name})"
        for word in WORDS
        for match in word.pattern.finditer(text)
    ]


def test_no_template_names_a_particular_contest():
    found = [
        finding
        for path in template_files()
        for finding in findings(str(path.relative_to(ROOT)), template_text(path))
    ]

    assert found == []


def test_no_document_or_open_data_descriptor_names_a_particular_contest():
    found = [
        finding
        for path in python_files()
        for finding in findings(str(path.relative_to(ROOT)), python_strings(path))
    ]

    assert found == []


def test_the_scan_reads_the_templates_emails_and_documents():
    names = {str(path.relative_to(ROOT)) for path in template_files()}

    assert {
        "applications/templates/applications/receipt/email_body.txt",
        "awards/templates/awards/documents/certificate.html",
        "catalogue/templates/catalogue/projects/verification.html",
        "opendata/templates/opendata/data.html",
    } <= names
    assert not any(name.startswith(("demo/", "tests/")) for name in names)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Remis au Forum des Interconnectés", ["Interconnectés", "Forum"]),
        ("{% if level.code == 'or' %}", ["or"]),
        ("Aucun label or enregistré", ["or"]),
        ("Un label Bronze, argent", ["argent/bronze", "argent/bronze"]),
        ("Étape IntercoTOUR", ["IntercoTOUR"]),
        ("{{ edition.forum.city }} ou {{ contest.ceremony_label }}", []),
        ("Dossiers or jurys", []),
    ],
)
def test_the_scan_tells_a_contest_word_from_ordinary_text(text, expected):
    assert [finding.rsplit("(", 1)[1].rstrip(")") for finding in findings("x", text)] == expected
