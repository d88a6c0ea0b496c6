"""The press release as Markdown, for newsrooms and websites that paste it.

Names and titles are typed by people: whatever Markdown would read as markup in them is escaped,
so a title such as « *Smart* city » prints as typed.
"""

import re

from django.utils.translation import gettext as _

from .press_release import PressRelease

# Characters that start emphasis, code, links, HTML or a table cell anywhere in a line.
INLINE_MARKUP = re.compile(r"([\\`*_\[\]<>|])")
# What starts a block at the beginning of a line: heading, quote, list item, setext underline…
BLOCK_START = re.compile(r"^(\s*)([#>+\-=])")
# … or a numbered item, whose digits cannot be escaped (CommonMark escapes punctuation only).
NUMBERED = re.compile(r"^(\s*\d+)([.)])")


def escape(text: str) -> str:
    """`text` as literal Markdown on one line."""
    text = INLINE_MARKUP.sub(r"\\\1", " ".join(text.split()))
    text = BLOCK_START.sub(lambda match: match.group(1) + "\\" + match.group(2), text)
    return NUMBERED.sub(lambda match: match.group(1) + "\\" + match.group(2), text)


def press_release_markdown(release: PressRelease, palmares_url: str = "") -> str:
    """The press release in CommonMark: a heading per theme, then per level, one item each."""
    edition = release.edition
    lines = [_("Communiqué de presse")]
    if release.dateline:
        # Two trailing spaces: a line break inside the paragraph, as in the 2024 release.
        lines[0] += "  "
        lines.append(escape(release.dateline))
    lines += ["", f"# {escape(release.title)}", ""]
    if release.forum:
        lines += [escape(release.forum), ""]
    if release.figures_sentence:
        lines += [f"**{escape(release.figures_sentence)}**", ""]
    if release.criteria:
        lines += [
            _("Le label repose sur des valeurs qui sont aussi ses critères d'attribution :"),
            "",
        ]
        lines += [f"- {escape(name)}" for name in release.criteria]
        lines.append("")
    if release.jury:
        lines += [escape(release.jury), ""]
    lines += ["## " + _("Les lauréats %(year)s") % {"year": edition.year}, ""]
    if not release.themes:
        lines += [_("La liste des lauréats de cette édition n'a pas été publiée."), ""]
    for theme in release.themes:
        level_mark = "####" if theme.heading else "###"
        if theme.heading:
            lines += [f"### {escape(theme.heading)}", ""]
        for level in theme.levels:
            lines += [f"{level_mark} {escape(level.heading)}", ""]
            for laureate in level.laureates:
                lines.append(f"- **{escape(laureate.names)}**  ")
                lines.append(
                    f"  {escape(laureate.title)}" + ("  " if laureate.distinctions else "")
                )
                if laureate.distinctions:  # as the page and the PDF print them
                    lines.append(f"  {escape(laureate.distinctions)}")
            lines.append("")
    if release.awarded_by:
        lines += [escape(release.awarded_by), ""]
    if palmares_url:
        lines += ["---", "", _("Le palmarès complet : <%(url)s>") % {"url": palmares_url}, ""]
    return "\n".join(lines)
