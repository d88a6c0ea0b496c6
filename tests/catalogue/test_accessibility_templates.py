"""What the templates, styles and scripts of the site never do, read from their sources: the
evidence of the RGAA criteria that no page of the site can break (catalogue/accessibility/rgaa.csv).

Each test reads every file of its kind in the repository; a new template or script is covered
the day it is added.
"""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Files that are not pages of the site: PDFs drawn by WeasyPrint, emails, the technical admin.
NOT_PAGES = ("/documents/", "/receipt/", "/emails/", "/admin/")


def tracked(pattern: str) -> list[Path]:
    listed = subprocess.run(  # noqa: S603 - git, our own arguments
        ["git", "ls-files", pattern],  # noqa: S607 - git from the PATH, as the Makefile runs it
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [ROOT / name for name in listed]


def templates() -> list[Path]:
    return [path for path in tracked("*.html") if not any(part in str(path) for part in NOT_PAGES)]


def stylesheets() -> list[Path]:
    """The site's own styles (the PDFs have theirs, beside their templates)."""
    return [path for path in tracked("*.css") if "/static/" in str(path)]


def scripts() -> list[Path]:
    # htmx is a vendored library, read for what the site's own code does with it.
    return [path for path in tracked("*.js") if path.name != "htmx.min.js"]


def offending(paths: list[Path], pattern: str) -> list[str]:
    found = re.compile(pattern, re.IGNORECASE)
    return [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in paths
        for match in found.finditer(path.read_text(encoding="utf-8"))
    ]


def test_the_lists_of_files_are_not_empty():
    assert len(templates()) > 100
    assert {path.name for path in scripts()} >= {"autosave.js", "palmares-search.js"}
    assert [path.name for path in stylesheets()] == ["site.css"]


def test_every_table_has_a_title():
    """RGAA 5.4: a caption, or aria-label / aria-labelledby, on every <table>."""
    untitled = []
    for path in tracked("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<table\b[^>]*>", text):
            after = text[match.end() : match.end() + 400]
            if "aria-label" in match.group(0):
                continue
            if re.match(r"\s*(\{%[^%]*%\}\s*)*<caption\b", after):
                continue
            untitled.append(f"{path.relative_to(ROOT)}: {match.group(0)}")

    assert untitled == []


def test_no_layout_table():
    """RGAA 5.3 and 5.8 do not apply: tables hold data only."""
    assert offending(templates(), r'<table\b[^>]*role="(presentation|none)"') == []


def test_no_frame_and_no_embedded_media():
    """RGAA 2 and 4 do not apply: no frame, no audio or video player, no embedded object (the
    pitch videos of dossiers are files to download)."""
    assert offending(templates(), r"<(iframe|frame|video|audio|embed|object|canvas)\b") == []


def test_no_captcha():
    """RGAA 1.4 and 1.5 do not apply: no CAPTCHA or image test anywhere."""
    assert offending(templates() + scripts(), r"captcha") == []


def test_no_new_window_without_the_user():
    """RGAA 13.2: no link opens a new window, no script opens one."""
    assert offending(templates(), r'target="_blank"') == []
    assert offending(scripts(), r"window\.open\s*\(") == []


def test_no_page_refreshes_or_moves_on_by_itself():
    """RGAA 13.1: no timed refresh or redirection; the only meta refresh is the immediate
    (0 second) redirection to the identity provider's logout, which is a redirection."""
    refreshes = offending(templates(), r'<meta http-equiv="refresh" content="[^"]*"')
    assert [line for line in refreshes if 'content="0;' not in line] == []
    assert offending(scripts(), r"location\.reload|setTimeout\([^)]*location") == []


def test_no_animation_flash_or_moving_content():
    """RGAA 13.7 and 13.8 do not apply: nothing moves, blinks or flashes by itself; smooth
    scrolling only for those who have not asked for reduced motion."""
    css = stylesheets()
    assert offending(css, r"@keyframes|animation\s*:|text-decoration\s*:\s*blink") == []
    assert offending(templates(), r"<(marquee|blink)\b") == []
    stylesheet = (ROOT / "palmares/static/css/site.css").read_text(encoding="utf-8")
    smooth = stylesheet.index("scroll-behavior: smooth")
    assert "prefers-reduced-motion: no-preference" in stylesheet[smooth - 200 : smooth]


def test_presentation_comes_from_the_stylesheet():
    """RGAA 10.1: no presentational markup or attribute, no inline style (the CSP forbids it)."""
    presentational = r"<(font|center|big|strike|tt)\b|\s(style|align|bgcolor|border)=\""
    assert offending(templates(), presentational) == []


def test_every_page_shares_the_frame():
    """RGAA 12.2 and 12.6: the menu, the skip link and the landmarks come from base.html, which
    every page extends; only the server error page stands alone (Django renders it without a
    request, so without the menu's links and forms)."""
    standalone = []
    for path in templates():
        text = path.read_text(encoding="utf-8")
        if "<html" in text and path.name not in {"base.html", "500.html"}:
            standalone.append(str(path.relative_to(ROOT)))
    pages = [
        path
        for path in templates()
        if "{% block content %}" in path.read_text("utf-8") and path.name != "base.html"
    ]

    assert standalone == []
    assert all("{% extends " in path.read_text("utf-8") for path in pages)


def test_no_orientation_lock_and_no_motion_or_gesture():
    """RGAA 13.9, 13.10, 13.12: the layout follows the screen in both orientations, and no
    function needs a complex gesture or moving the device."""
    assert offending(stylesheets(), r"@media[^{]*orientation") == []
    gestures = r"screen\.orientation\.lock|devicemotion|deviceorientation|touchmove|gesturestart"
    assert offending(scripts(), gestures) == []


def test_no_single_key_shortcut_and_no_action_on_press():
    """RGAA 12.10 and 13.11: the site's scripts define no one-key shortcut and act on no
    pointer press: only Enter in the partner search field (a form key) and clicks."""
    keys = offending(scripts(), r"event\.key\s*===\s*\"[^\"]+\"")
    assert keys == ['palmares/static/js/autosave.js: event.key === "Enter"']
    assert offending(scripts(), r"mousedown|pointerdown|touchstart|keypress") == []
