"""Country of a practice from its printed location, or, when that names only a region,
from a gazetteer of regions and from evidence on the card (e-mail and web domains)."""

from __future__ import annotations

import functools
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
    "GE": ("Georgia", ()), "AM": ("Armenia", ()), "AZ": ("Azerbaijan", ()),
    # 'us' is left out of the folded aliases: only the capitals 'US'/'USA' name the country
    "US": ("United States", ("united states of america", "u.s.a.", "u.s.")),
}
# Country abbreviations that are ordinary words in lower case ('us'): matched as printed.
_CASED = {"US": ("US", "USA")}

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
    # enough to tell Georgia the US state from Georgia the country
    **dict.fromkeys(["atlanta", "savannah", "athens, ga", "new york", "chicago", "boston", "washington, d.c.",
                     "los angeles", "san francisco", "seattle", "houston", "dallas", "miami", "philadelphia",
                     "detroit", "denver", "phoenix", "pittsburgh", "california", "texas", "florida",
                     "alabama", "tennessee", "north carolina", "south carolina"], "US"),
}

_TLD_EXTRA = {"uk": "GB", "cat": "ES", "eus": "ES", "gal": "ES", "scot": "GB", "wales": "GB", "cymru": "GB"}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower()


def _mentions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, code) of every country name in the text, in printed order."""
    folded = _fold(text)
    hits = []
    for code, (name, aliases) in COUNTRIES.items():
        for alias in (name.lower(), *aliases):
            for m in re.finditer(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", folded):
                hits.append((m.start(), m.end(), code))
    for code, printed in _CASED.items():
        for word in printed:
            for m in re.finditer(rf"(?<![\w.-]){re.escape(word)}(?![\w-])", text):
                hits.append((m.start(), m.end(), code))
    # a longer name wins over one inside it ('Northern Ireland' over 'Ireland')
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    kept: list[tuple[int, int, str]] = []
    for hit in hits:
        if not any(hit[0] < end and start < hit[1] for start, end, _ in kept):
            kept.append(hit)
    return kept


def commas_before_countries(raw: str) -> str:
    """An OCR-read location with a stop where a comma stands before a country's name
    ('Region. Italy'): a comma's thin tail lost to the threshold (light type on a panel
    printed mid-grey, measured as a dot on the baseline). A location lists places; no
    sentence ends inside it, so a stop after a word and before a country is that comma."""
    out = raw
    for start, _, _ in reversed(_mentions(raw)):
        match = re.search(r"(?<=[^\W\d_]{2})\.\s+$", raw[:start])
        if match:
            out = out[: match.start()] + ", " + out[start:]
    return out


def damerau(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions and
    swaps of two neighbouring letters each count one."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


# A misspelt name is taken only when it is this long: below, one edit joins real words.
FUZZY_MIN = 5


@functools.cache
def _fuzzy_names() -> tuple[tuple[str, str], ...]:
    return tuple(
        (alias, code) for code, (name, aliases) in COUNTRIES.items() for alias in (name.lower(), *aliases)
        if len(alias) >= FUZZY_MIN and re.fullmatch(r"[^\W\d_]+(?: [^\W\d_]+)*", alias)
    )


@functools.lru_cache(maxsize=4096)
def _near_country(piece: str) -> str | None:
    """The one country whose name is one edit from `piece` (None for none or several)."""
    if len(piece) < FUZZY_MIN or piece in REGIONS:
        return None
    near = {
        code for alias, code in _fuzzy_names()
        if abs(len(alias) - len(piece)) <= 1 and damerau(alias, piece) == 1
        and piece != alias + "n"  # 'Romanian', 'Italian': an adjective, not a misspelt name
    }
    return near.pop() if len(near) == 1 else None


def _fuzzy(text: str, taken: list[tuple[int, int, str]]) -> list[tuple[int, int, str, str]]:
    """(start, end, code, printed) of words one edit away from a country name of five
    letters or more ('Greee' -> GR), outside exact names and known regions."""
    # a word inside a hyphenated compound ('Itä-Suomi') is part of a region's name
    words = [(m.start(), m.end()) for m in re.finditer(r"(?<![\w-])[^\W\d_]+(?![\w-])", text)]
    used = {i for i, (a, b) in enumerate(words) if any(a < end and start < b for start, end, _ in taken)}
    hits: list[tuple[int, int, str, str]] = []
    for i in range(len(words)):
        for n in (3, 2, 1):  # the longest run of words first ('Unted Kingdom')
            span = range(i, i + n)
            if i + n > len(words) or used.intersection(span):
                continue
            start, end = words[i][0], words[i + n - 1][1]
            code = _near_country(_fold(" ".join(text[a:b] for a, b in words[i : i + n])))
            if code:
                hits.append((start, end, code, text[start:end]))
                used.update(span)
                break
    return hits


def _is_us_state(text: str, codes: list[str]) -> bool:
    """'Georgia' with the US or a US place beside it is the state, not the country."""
    return "US" in codes or "US" in _regions(text)


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
    """Contract location {raw, country, country_code, country_codes} and (code, message)
    warnings. Every country the location names is kept, in printed order."""
    location = {"raw": raw, "country": None, "country_code": None, "country_codes": []}
    codes: list[str] = []
    why = None
    warnings: list[tuple[str, str]] = []
    if raw:
        mentions = _mentions(raw)
        fuzzy = _fuzzy(raw, mentions)
        found = sorted([(start, code) for start, _, code in mentions] + [(start, code) for start, _, code, _ in fuzzy])
        codes = list(dict.fromkeys(code for _, code in found))
        if "GE" in codes and _is_us_state(raw, codes):
            codes = list(dict.fromkeys("US" if c == "GE" else c for c in codes))
        for _, _, code, printed in fuzzy:
            if code in codes:
                warnings.append(("country_fuzzy", f"The location reads '{printed}'; it is taken as {COUNTRIES[code][0]} ({code})."))
        if not codes:
            regions = set(_regions(raw))
            if len(regions) == 1:
                codes = [regions.pop()]
    if not codes:
        votes: Counter[str] = Counter()
        for email in emails:
            found_code = country_of_domain(email.rsplit("@", 1)[-1])
            if found_code:
                votes[found_code] += 1
        for url in websites:
            host = re.sub(r"^[a-z]+://", "", url).split("/", 1)[0].split(":", 1)[0]
            found_code = country_of_domain(host)
            if found_code:
                votes[found_code] += 1
        if institution:
            for _, _, found_code in _mentions(institution):
                votes[found_code] += 2
            for found_code in _regions(institution):
                votes[found_code] += 2
        if votes:
            ranked = votes.most_common()
            if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
                codes = [ranked[0][0]]
                why = ", ".join(sorted(votes))
    if codes:
        code = codes[0]
        location["country"], location["country_code"], location["country_codes"] = COUNTRIES[code][0], code, codes
        if why:
            warnings.append(("country_inferred", f"The location names no country; {COUNTRIES[code][0]} is inferred from the card's e-mail, web and institution evidence."))
    elif raw:
        warnings.append(("unknown_country", f"No country could be found for the location '{raw}'."))
    return location, warnings
