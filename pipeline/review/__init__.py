"""Review: a guide dict in, a validated `schemas.Guide` out (contract validation, document checks, result diffs)."""
