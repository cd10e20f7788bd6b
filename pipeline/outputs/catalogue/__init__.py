"""The catalogue: extraction results loaded into SQLite or PostgreSQL (docs/catalogue.md)."""

from pipeline.outputs.catalogue.load import (
    DEFAULT_URL,
    CatalogueError,
    DatabaseError,
    LoadCounts,
    ResultError,
    database_url,
    load_guide,
    open_catalogue,
    parse_edition_date,
    read_result,
    result_files,
    series_of,
)

__all__ = [
    "DEFAULT_URL",
    "CatalogueError",
    "DatabaseError",
    "LoadCounts",
    "ResultError",
    "database_url",
    "load_guide",
    "open_catalogue",
    "parse_edition_date",
    "read_result",
    "result_files",
    "series_of",
]
