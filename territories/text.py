"""Text normalisation shared by the referential search and the palmarès name matching."""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case, strip accents and ligatures, turn punctuation into single spaces.

    "Marcq-en-Barœul" → "marcq en baroeul"; "Saint-Omer" → "saint omer".
    """
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NON_ALNUM.sub(" ", stripped.lower()).strip()
