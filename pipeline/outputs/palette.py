"""The colour of each field's box: drawn on the page pictures (pictures.py) and shown in
the report's key (report/page.py). Apart from the drawing, so that the report, which
every run writes, a cached guide's too, does not import PIL and numpy for these."""

COLOURS = {
    "title": "#d62728", "summary": "#ff7f0e", "institution": "#1f77b4", "location": "#17becf",
    "contacts": "#9467bd", "websites": "#2ca02c", "period": "#8c564b", "budgets": "#e6b800", "metrics": "#e377c2",
}
SECTION_COLOUR = "#7f7f7f"


def colour(field: str) -> str:
    return COLOURS.get(field.split("[", 1)[0], SECTION_COLOUR)  # 'budgets[2]' is drawn as a budget
