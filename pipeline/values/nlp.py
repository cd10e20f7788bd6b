"""The one spaCy pipeline of a run: the statistical English model plus rule components
registered with spaCy, so the whole pipeline is configuration, not ad-hoc calls.

The model is a package dependency loaded by name; it is never downloaded at run time.
`GUIDE_EXTRACT_SPACY_MODEL` names another installed package (such as `en_core_web_sm`).
"""

from __future__ import annotations

import functools
import re

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from thinc.api import get_current_ops, set_current_ops

from pipeline.values.matmul import matmul_ops
from pipeline.values.model_choice import model_name
from pipeline.values.metrics import find_metrics
from pipeline.values.money import find_money

# Technology taxonomy for faceting: category -> phrases (matched case-insensitively).
TECHNOLOGIES: dict[str, tuple[str, ...]] = {
    "IoT": ("iot", "internet of things", "iiot", "industrial internet of things", "smart sensors", "sensors"),
    "AI": ("ai", "artificial intelligence", "machine learning", "deep learning", "computer vision", "intelligent data analysis"),
    "robotics": ("robot", "robots", "robotics", "cobot", "cobots", "collaborative robot", "collaborative robots"),
    "blockchain": ("blockchain", "block-chain", "distributed ledger"),
    "additive manufacturing": ("additive manufacturing", "3d printing", "3d-printing"),
    "big data": ("big data", "data analytics", "data analysis"),
    "cloud computing": ("cloud", "cloud computing"),
    "cybersecurity": ("cybersecurity", "cyber security", "cyber-security"),
    "digital twin": ("digital twin", "digital twins"),
    "AR/VR": ("augmented reality", "virtual reality", "vr/ar", "ar/vr", "mixed reality", "xr"),
    "simulation": ("simulation", "simulations", "modelling and simulation"),
    "automation": ("automation", "industrial automation", "process automation"),
    "HPC": ("hpc", "high performance computing", "high-performance computing", "supercomputing"),
    "5G": ("5g",),
    "LCA": ("lca", "life cycle assessment", "life-cycle assessment"),
}

# Names of bodies the small statistical model tends to miss: '<Capitalised words> Council',
# 'University of <Capitalised words>'.
_ORG_HEADS = [
    "agency", "association", "authority", "centre", "center", "chamber", "cluster", "college", "commission",
    "council", "department", "foundation", "fund", "hub", "institute", "ministry", "municipality", "network",
    "office", "partnership", "platform", "school", "university",
]
ORGANISATION_PATTERNS = [
    {"label": "ORG", "pattern": [{"IS_TITLE": True, "OP": "+"}, {"LOWER": {"IN": _ORG_HEADS}, "IS_TITLE": True}]},
    {"label": "ORG", "pattern": [
        {"LOWER": {"IN": _ORG_HEADS}, "IS_TITLE": True}, {"LOWER": {"IN": ["of", "for"]}},
        {"IS_TITLE": True, "OP": "+"},
    ]},
]

for _name in ("value",):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)
if not Doc.has_extension("sentences"):
    Doc.set_extension("sentences", default=None)


def sentence_ranges(doc: Doc) -> list[tuple[int, int]]:
    """Each list item or line is its own unit; long lines are cut at parser sentences."""
    ranges = []
    for line in re.finditer(r"[^\n]+", doc.text):
        cuts = [line.start()] + [
            s.start_char for s in doc.sents if line.start() < s.start_char < line.end()
        ] + [line.end()]
        ranges.extend((a, b) for a, b in zip(cuts, cuts[1:]) if doc.text[a:b].strip())
    return ranges


def _spans(doc: Doc, hits: list[dict], label: str) -> list[Span]:
    """Rule hits (character offsets into doc.text) as spans carrying their parsed value."""
    spans = []
    for hit in hits:
        value = {k: v for k, v in hit.items() if k not in ("start", "end")}
        span = doc.char_span(hit["start"], hit["end"], label=label, alignment_mode="expand")
        if span is not None:
            span._.value = value
            spans.append(span)
    return spans


@Language.factory("guide_money")
def make_money(nlp: Language, name: str):
    def money(doc: Doc) -> Doc:
        doc.spans["money"] = _spans(doc, find_money(doc.text), "MONEY")
        return doc

    return money


@Language.factory("guide_metrics")
def make_metrics(nlp: Language, name: str):
    def metrics(doc: Doc) -> Doc:
        doc._.sentences = sentence_ranges(doc)
        money = [(s.start_char, s.end_char) for s in doc.spans.get("money", [])]
        doc.spans["metrics"] = _spans(doc, find_metrics(doc, doc._.sentences, money), "METRIC")
        return doc

    return metrics


@Language.factory("guide_technologies")
def make_technologies(nlp: Language, name: str):
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for category, phrases in TECHNOLOGIES.items():
        matcher.add(category, [nlp.make_doc(p) for p in phrases])

    def technologies(doc: Doc) -> Doc:
        doc.spans["technologies"] = [
            Span(doc, start, end, label=nlp.vocab.strings[match_id]) for match_id, start, end in matcher(doc)
        ]
        return doc

    return technologies


@functools.cache
def get_nlp() -> Language:
    """Built once per process. The lemmatizer and the dependency parser are not loaded:
    nothing reads lemmas, sentence ends come from the rule-based sentencizer and units
    from part-of-speech tags, which together cost a fraction of a parse."""
    ops = matmul_ops()
    previous = get_current_ops()
    if ops is not None:
        set_current_ops(ops)  # the models take the current ops when they are built
    try:
        nlp = spacy.load(model_name(), exclude=["lemmatizer", "parser"])
    finally:
        set_current_ops(previous)
    nlp.add_pipe("sentencizer", first=True)
    # After the statistical NER and never overwriting it: the rules add names it missed
    # but cannot cut a longer name it found ('European Factories of the Future ...').
    ruler = nlp.add_pipe("entity_ruler", after="ner", config={"overwrite_ents": False})
    ruler.add_patterns(ORGANISATION_PATTERNS)
    nlp.add_pipe("guide_money", last=True)
    nlp.add_pipe("guide_metrics", last=True)
    nlp.add_pipe("guide_technologies", last=True)
    return nlp
