"""Each warning code in a sentence a steward can act on. A code without an entry (a new
stage's) is shown with its own messages."""

from __future__ import annotations

EXPLAINED = {
    "missing_title": "No title was found on the card: no line is set larger than its body text.",
    "missing_summary": "No tagline (the larger or italic sentence under the title) was found.",
    "missing_institution": "The card's sidebar gives no ‘Main institution’.",
    "missing_location": "The card's sidebar gives no ‘Location’.",
    "missing_contact": "The card's sidebar gives no ‘Contact’.",
    "missing_website": "The card's sidebar gives no ‘Website’.",
    "missing_period": "The card's sidebar gives no start and end date.",
    "missing_section": "One of the five standard sections (about, resources, evidence, challenges, transfer) is not on the card.",
    "empty_section": "A section heading is printed with no text under it.",
    "repeated_section": "A section heading appears twice on the card; the two texts were joined.",
    "unknown_heading": "A heading names none of the five standard sections; its text is kept under other_sections.",
    "text_outside_sections": "Text between the tagline and the first heading belongs to no section.",
    "unparsed_period": "The printed dates could not be read as a start and an end.",
    "period_reversed": "The printed period ends before it starts.",
    "unreadable_website": "A word in the website field is not part of a URL.",
    "link_differs": "The PDF's clickable link points somewhere else than the printed URL: check which is right.",
    "link_has_spaces": "The PDF's clickable link contains spaces, so it does not work as stored.",
    "unknown_country": "No country could be found for the printed location.",
    "country_inferred": "The location names no country; it was inferred from e-mail and web domains and the institution.",
    "not_applicable": "A field reads only 'n/a', '-', 'none' or the like; it is left empty.",
    "country_fuzzy": "A misspelt country name (one letter off) was taken as the country named in the message: check it.",
    "contact_from_text": "The card's sidebar gives no contact; the contact was read from an e-mail address in its text.",
    "no_budget_amount": "‘Resources needed’ states no monetary amount.",
    "unparsed_money": "An amount names a currency but its number could not be read; it is kept as printed.",
    "invalid_field": "A value failed validation against the output contract and was emptied.",
    "duplicate_title": "Two practices share a title; the later one's id carries a suffix.",
    "duplicate_section_text": "The same (or nearly the same) section text is printed in several practices: a copy-paste slip in the guide?",
    "shared_contact_email": "One contact e-mail is given for several practices.",
    "practice_count_mismatch": "The number of practices the guide states differs from the number found.",
    "theme_count_mismatch": "The number of themes the guide states differs from the number found.",
    "practices_without_websites": "Practices that give no website.",
    "practices_without_period": "Practices that give no dates.",
    "practices_without_budgets": "Practices whose ‘Resources needed’ states no amount.",
    "no_themes": "No theme divider pages were found; practices carry no theme.",
    "pages_without_text": "Pages without a text layer were skipped (scanned images?).",
    "ocr_accents_unavailable": "Tesseract's Latin-script data is not installed: letters with accents on scanned pages may have been read without them.",
    "ocr_low_confidence": "Tesseract was unsure of a character of this value (an amount's digits, a web address, a name): compare it with the page picture.",
    "ocr_email_suspect": "An e-mail address read by OCR does not parse, or OCR read an '@' where no address came out: a character was probably misread.",
    "ocr_url_suspect": "A web address read by OCR does not parse as a URL: a character was probably misread.",
    "ocr_unavailable": "Pages without a text layer could not be read by OCR (Tesseract missing or broken); their text is missing.",
    "ocr_text_layer_kept": "With --ocr always, pages that have a text layer were read by OCR only to check it; OCR agreed, so the text layer's words (what the author typed) were kept.",
    "ocr_text_layer_replaced": "With --ocr always, OCR read other words than a page's text layer (a garbled font encoding?); OCR's reading of that page was used.",
    "page_unreadable": "A page could not be read and was skipped.",
    "page_not_read": "A page was not read.",
    "unparsed_publication_date": "The document's printed publication date could not be read as a date; the guide's metadata leaves it empty.",
    "correction_stale": "A correction was not applied: the extracted value is no longer the one it was made for (a new edition changed it).",
    "correction_invalid": "A correction was not applied: its value is empty or not valid for the field.",
    "correction_unknown": "A correction names a practice or field this guide does not have.",
}


def explain(code: str) -> str | None:
    return EXPLAINED.get(code)
