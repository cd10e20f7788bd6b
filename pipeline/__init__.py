"""guide-extract stages: each module is one stage, callable without Prefect."""
