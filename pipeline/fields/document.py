"""Stage 5: assemble the guide from the segmented draft: themes, practices, ids."""

from __future__ import annotations

from pipeline.cards.contents import contents_entries, contents_warnings
from pipeline.fields.metadata import build_metadata
from pipeline.fields.practice import build_practice, one_line, spans_of, theme_intro
from pipeline.model import DocumentDraft, PracticeDraft
from pipeline.warn import warning


def themes_of(draft: DocumentDraft) -> list[dict]:
    lexicon = frozenset(draft.lexicon)
    themes = []
    for theme in draft.themes:
        themes.append(
            {
                "number": theme.number,
                "title": one_line(theme.title_lines, lexicon) or f"Theme {theme.number}",
                "intro": theme_intro(theme.intro, lexicon),
                "pages": [theme.page],
            }
        )
    for practice in draft.practices:
        if practice.theme is not None:
            themes[practice.theme]["pages"].extend(practice.pages)
    return themes


def theme_ref(themes: list[dict], practice: PracticeDraft) -> dict | None:
    if practice.theme is None:
        return None
    theme = themes[practice.theme]
    return {"number": theme["number"], "title": theme["title"]}


def parse_practice(draft: DocumentDraft, index: int, themes: list[dict]) -> dict:
    practice = draft.practices[index]
    return build_practice(practice, index + 1, theme_ref(themes, practice), frozenset(draft.lexicon))


def parse_all(draft: DocumentDraft) -> tuple[list[dict], list[dict]]:
    """Themes and practices (with unique ids) of the guide, as contract-shaped dicts."""
    themes = themes_of(draft)
    practices = [parse_practice(draft, i, themes) for i in range(len(draft.practices))]
    unique_ids(practices)
    return themes, practices


def unique_ids(practices: list[dict]) -> None:
    """Ids are slugs of titles; a repeated title gets a numeric suffix, in guide order."""
    seen: dict[str, int] = {}
    for practice in practices:
        base = practice["id"]
        seen[base] = seen.get(base, 0) + 1
        if seen[base] > 1:
            practice["id"] = f"{base}-{seen[base]}"
            practice["warnings"].append(
                warning("duplicate_title", f"Another practice is also titled '{practice['title']}'.", practice["pages"][0], "id")
            )


def front_text(draft: DocumentDraft) -> str | None:
    """The front matter as text, where a guide states how many practices it holds."""
    return theme_intro(draft.front_regions, frozenset(draft.lexicon))


def guide_dict(
    draft: DocumentDraft, source: dict, themes: list[dict], practices: list[dict], read_warnings: list[dict] = ()
) -> dict:
    for practice in practices:
        for practice_warning in practice["warnings"]:
            practice_warning["practice"] = practice["id"]
    warnings = list(read_warnings)
    for page in draft.skipped_pages:
        warnings.append(warning("page_not_read", "Page is neither a theme divider nor part of a practice card.", page))
    if not draft.themes and practices:
        warnings.append(warning("no_themes", "No theme divider pages were found; practices carry no theme."))
    warnings.extend(contents_warnings(contents_entries(draft.front_regions), themes, practices))
    title = one_line(draft.title_lines, frozenset(draft.lexicon)) or draft.metadata_title
    metadata, metadata_warnings = build_metadata(draft.metadata, draft.pdf_info, frozenset(draft.lexicon))
    warnings.extend(metadata_warnings)
    return {
        "source": source,
        "title": title,
        "metadata": metadata,
        "title_provenance": spans_of(draft.title_lines),
        "themes": themes,
        "practices": practices,
        "warnings": warnings,
    }
