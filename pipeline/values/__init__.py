"""Values: practice dicts in, the same enriched out (spaCy and rules: money, metrics, places, organisations, technologies)."""
