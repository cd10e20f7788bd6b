"""Country of a practice from its printed location, or, when that names only a region,
from a gazetteer of regions and from evidence on the card (e-mail and web domains)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

# ISO 3166-1 alpha-2 -> English short name, and the names a guide may print instead.
COUNTRIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "AT": ("Austria", ("österreich",)), "BE": ("Belgium", ("belgique", "belgië", "belgie")),
    "BG": ("Bulgaria", ("българия",)), "HR": ("Croatia", ("hrvatska",)), "CY": ("Cyprus", ()),
    "CZ": ("Czechia", ("czech republic", "česko", "cesko")), "DK": ("Denmark", ("danmark",)),
    "EE": ("Estonia", ("eesti",)), "FI": ("Finland", ("suomi",)), "FR": ("France", ()),
    "DE": ("Germany", ("deutschland",)), "GR": ("Greece", ("hellas", "ελλάδα")),
    "HU": ("Hungary", ("magyarország",)), "IE": ("Ireland", ("éire", "eire")),
    "IT": ("Italy", ("italia",)), "LV": ("Latvia", ("latvija",)), "LT": ("Lithuania", ("lietuva",)),
    "LU": ("Luxembourg", ()), "MT": ("Malta", ()), "NL": ("Netherlands", ("the netherlands", "nederland", "holland")),
    "PL": ("Poland", ("polska",)), "PT": ("Portugal", ()), "RO": ("Romania", ("românia",)),
    "SK": ("Slovakia", ("slovensko",)), "SI": ("Slovenia", ("slovenija",)), "ES": ("Spain", ("españa", "espana")),
    "SE": ("Sweden", ("sverige",)), "GB": ("United Kingdom", ("uk", "u.k.", "great britain", "britain", "england", "scotland", "wales", "northern ireland")),
    "NO": ("Norway", ("norge",)), "IS": ("Iceland", ("ísland",)), "CH": ("Switzerland", ("schweiz", "suisse", "svizzera")),
    "LI": ("Liechtenstein", ()), "AL": ("Albania", ()), "BA": ("Bosnia and Herzegovina", ()),
    "ME": ("Montenegro", ()), "MK": ("North Macedonia", ()), "RS": ("Serbia", ("srbija",)),
    "TR": ("Türkiye", ("turkey", "turkiye")), "UA": ("Ukraine", ()), "MD": ("Moldova", ()),
}

# Regions (NUTS-level names, English and local) and large cities -> country. Enough to
# place a card that prints only its region; extend freely. Names shared by several
# countries (cross-border regions such as Limburg, Tyrol, Silesia) are left out on purpose: e-mail and web
# domains decide those.
REGIONS: dict[str, str] = {
    **dict.fromkeys(
        ["yorkshire", "west yorkshire", "south yorkshire", "north yorkshire", "east yorkshire",
         "yorkshire and the humber", "leeds", "sheffield", "manchester", "greater manchester", "london",
         "merseyside", "west midlands", "east midlands", "north east england", "north west england",
         "cornwall", "kent", "lancashire", "cumbria", "highlands", "glasgow", "edinburgh", "cardiff"], "GB"),
    **dict.fromkeys(
        ["catalonia", "catalunya", "cataluña", "castilla y león", "castile and león", "castilla y leon",
         "andalusia", "andalucía", "basque country", "euskadi", "país vasco", "galicia", "valencia",
         "comunidad valenciana", "madrid", "aragon", "aragón", "navarra", "murcia", "extremadura",
         "asturias", "cantabria", "la rioja", "balearic islands", "canary islands", "castilla-la mancha"], "ES"),
    **dict.fromkeys(
        ["tuscany", "toscana", "piemonte", "piedmont", "lombardy", "lombardia", "veneto", "emilia-romagna",
         "lazio", "campania", "puglia", "apulia", "sicily", "sicilia", "sardinia", "sardegna", "liguria",
         "marche", "umbria", "abruzzo", "calabria", "basilicata", "molise", "friuli venezia giulia",
         "trentino", "alto adige", "valle d'aosta", "prato", "florence", "firenze", "milan", "turin"], "IT"),
    **dict.fromkeys(
        ["mazowieckie", "masovia", "mazovia", "małopolska", "malopolska", "śląskie", "slaskie",
         "wielkopolska", "pomorskie", "pomerania", "dolnośląskie", "łódzkie", "lodzkie", "lubelskie",
         "podkarpackie", "podlaskie", "świętokrzyskie", "swietokrzyskie", "warmińsko-mazurskie",
         "zachodniopomorskie", "kujawsko-pomorskie", "opolskie", "lubuskie", "warsaw", "kielce"], "PL"),
    **dict.fromkeys(
        ["lappi", "uusimaa", "pohjois- ja itä-suomi", "itä-suomi", "pohjois-suomi",
         "etelä-suomi", "länsi-suomi", "helsinki", "oulu", "tampere", "rovaniemi", "pirkanmaa",
         "north ostrobothnia", "ostrobothnia", "karelia"], "FI"),
    **dict.fromkeys(
        ["western slovenia", "eastern slovenia", "zahodna slovenija", "vzhodna slovenija",
         "ljubljana", "maribor", "osrednjeslovenska", "podravska", "gorenjska", "savinjska"], "SI"),
    **dict.fromkeys(
        ["bavaria", "bayern", "baden-württemberg", "north rhine-westphalia", "nordrhein-westfalen",
         "saxony", "sachsen", "hesse", "hessen", "lower saxony", "niedersachsen", "thuringia", "brandenburg"], "DE"),
    **dict.fromkeys(
        ["île-de-france", "ile-de-france", "occitanie", "brittany", "bretagne", "normandy", "normandie",
         "grand est", "hauts-de-france", "nouvelle-aquitaine", "auvergne-rhône-alpes", "pays de la loire",
         "provence-alpes-côte d'azur", "bourgogne-franche-comté", "centre-val de loire"], "FR"),
    **dict.fromkeys(["flanders", "vlaanderen", "wallonia", "wallonie", "brussels"], "BE"),
    **dict.fromkeys(["north brabant", "noord-brabant", "gelderland", "south holland", "zuid-holland"], "NL"),
    **dict.fromkeys(["norte", "centro", "alentejo", "algarve", "lisbon", "lisboa"], "PT"),
}

_TLD_EXTRA = {"uk": "GB", "cat": "ES", "eus": "ES", "gal": "ES", "scot": "GB", "wales": "GB", "cymru": "GB"}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower()


def _mentions(text: str) -> list[tuple[int, str]]:
    """(position, code) of every country name in the text."""
    folded = _fold(text)
    hits = []
    for code, (name, aliases) in COUNTRIES.items():
        for alias in (name.lower(), *aliases):
            for m in re.finditer(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", folded):
                hits.append((m.start(), code))
    return sorted(hits)


def _regions(text: str) -> list[str]:
    folded = _fold(text)
    codes = []
    for region, code in sorted(REGIONS.items(), key=lambda item: -len(item[0])):
        if re.search(rf"(?<![\w-]){re.escape(region)}(?![\w-])", folded):
            codes.append(code)
    return codes


def country_of_domain(domain: str) -> str | None:
    tld = domain.lower().rstrip(".").rsplit(".", 1)[-1]
    if tld in _TLD_EXTRA:
        return _TLD_EXTRA[tld]
    return tld.upper() if tld.upper() in COUNTRIES else None


def resolve(raw: str | None, emails: list[str], websites: list[str], institution: str | None) -> tuple[dict, list[tuple[str, str]]]:
    """Contract location {raw, country, country_code} and (code, message) warnings."""
    location = {"raw": raw, "country": None, "country_code": None}
    code = None
    why = None
    if raw:
        mentions = _mentions(raw)
        if mentions:
            code = mentions[0][1]
        else:
            regions = set(_regions(raw))
            if len(regions) == 1:
                code = regions.pop()
    if code is None:
        votes: Counter[str] = Counter()
        for email in emails:
            found = country_of_domain(email.rsplit("@", 1)[-1])
            if found:
                votes[found] += 1
        for url in websites:
            host = re.sub(r"^[a-z]+://", "", url).split("/", 1)[0].split(":", 1)[0]
            found = country_of_domain(host)
            if found:
                votes[found] += 1
        if institution:
            for _, found in _mentions(institution):
                votes[found] += 2
            for found in _regions(institution):
                votes[found] += 2
        if votes:
            ranked = votes.most_common()
            if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
                code = ranked[0][0]
                why = ", ".join(sorted(votes))
    warnings: list[tuple[str, str]] = []
    if code:
        location["country"], location["country_code"] = COUNTRIES[code][0], code
        if why:
            warnings.append(("country_inferred", f"The location names no country; {COUNTRIES[code][0]} is inferred from the card's e-mail, web and institution evidence."))
    elif raw:
        warnings.append(("unknown_country", f"No country could be found for the location '{raw}'."))
    return location, warnings
