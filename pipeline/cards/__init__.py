"""Cards: `PageLayout` pages in, a `DocumentDraft` out (front matter, themes, practice drafts with their fact labels and headed sections)."""
