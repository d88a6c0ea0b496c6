"""Structures by their full official name: « Commune de Brest », « Département du Finistère »,
« Région Bretagne ». The referential stores the bare name (« Brest », « Finistère »); this says
it as an official letter would. Other structures (EPCI, syndicats, bodies added by hand) carry
their full name already.

The département's link word (« du », « de la », « de l' », « des »…) is INSEE's, taken once
from the referential (vendor/decoupage-administratif/data/departements.json, `typeLiaison`).
"""

from .enums import OrganisationKind

# INSEE's link word of each département, by code.
_DEPARTEMENT_LINKS: dict[str, str] = {
    "01": "de l'",
    "02": "de l'",
    "03": "de l'",
    "07": "de l'",
    "09": "de l'",
    "10": "de l'",
    "11": "de l'",
    "12": "de l'",
    "27": "de l'",
    "34": "de l'",
    "36": "de l'",
    "38": "de l'",
    "60": "de l'",
    "61": "de l'",
    "89": "de l'",
    "91": "de l'",
    "04": "des ",
    "05": "des ",
    "06": "des ",
    "08": "des ",
    "13": "des ",
    "22": "des ",
    "40": "des ",
    "64": "des ",
    "65": "des ",
    "66": "des ",
    "78": "des ",
    "79": "des ",
    "88": "des ",
    "92": "des ",
    "14": "du ",
    "15": "du ",
    "18": "du ",
    "25": "du ",
    "29": "du ",
    "30": "du ",
    "32": "du ",
    "39": "du ",
    "41": "du ",
    "45": "du ",
    "46": "du ",
    "47": "du ",
    "56": "du ",
    "59": "du ",
    "62": "du ",
    "63": "du ",
    "67": "du ",
    "68": "du ",
    "69": "du ",
    "81": "du ",
    "82": "du ",
    "83": "du ",
    "84": "du ",
    "90": "du ",
    "94": "du ",
    "95": "du ",
    "16": "de la ",
    "17": "de la ",
    "19": "de la ",
    "21": "de la ",
    "23": "de la ",
    "24": "de la ",
    "26": "de la ",
    "2A": "de la ",
    "2B": "de la ",
    "31": "de la ",
    "33": "de la ",
    "42": "de la ",
    "43": "de la ",
    "44": "de la ",
    "48": "de la ",
    "50": "de la ",
    "51": "de la ",
    "52": "de la ",
    "53": "de la ",
    "55": "de la ",
    "57": "de la ",
    "58": "de la ",
    "70": "de la ",
    "72": "de la ",
    "73": "de la ",
    "74": "de la ",
    "76": "de la ",
    "80": "de la ",
    "85": "de la ",
    "86": "de la ",
    "87": "de la ",
    "93": "de la ",
    "971": "de la ",
    "972": "de la ",
    "973": "de la ",
    "28": "d'",
    "35": "d'",
    "37": "d'",
    "49": "de ",
    "54": "de ",
    "71": "de ",
    "75": "de ",
    "77": "de ",
    "974": "de ",
    "976": "de ",
    "975": "de ",
    "977": "de ",
    "978": "de ",
    "984": "de ",
    "986": "de ",
    "987": "de ",
    "988": "de ",
    "989": "de ",
}

_VOWELS = tuple("AEIOUYÂÊÎÔÛÉÈËÏÜŸH")


def _commune_link(name: str) -> str:
    """« de Brest », « du Mans », « des Sables-d'Olonne », « d'Angers », « de La Rochelle »."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    if name.startswith(_VOWELS) and not name.startswith(("La ", "L'")):
        return "d'" + name
    return "de " + name


def official_name(kind: str, name: str, insee_code: str | None) -> str:
    """The structure's full official name, for letters, emails and pages."""
    if kind == OrganisationKind.COMMUNE:
        return "Commune " + _commune_link(name)
    if kind == OrganisationKind.DEPARTEMENT:
        link = _DEPARTEMENT_LINKS.get(insee_code or "")
        return f"Département {link}{name}" if link else f"Département {_commune_link(name)}"
    if kind == OrganisationKind.REGION:
        return "Région " + name
    return name
