"""Fields: a `DocumentDraft` in, practice dicts out (clean text, fact fields, provenance), plus the guide-level assembly."""
