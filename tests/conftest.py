import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUIDE_PDF = ROOT / "raw" / "smarty-good-practice-guide.pdf"
REFERENCE = ROOT / "tests" / "reference" / "smarty-good-practice-guide.json"
sys.path.insert(0, str(Path(__file__).parent))  # tests/variants.py
# The report's generation date (reproducible builds): reruns compare byte for byte.
os.environ["SOURCE_DATE_EPOCH"] = "1700000000"


@pytest.fixture(scope="session")
def guide():
    """The real guide through every stage (no Prefect), once per session."""
    from pipeline.run import extract_guide

    return extract_guide(GUIDE_PDF)


@pytest.fixture(scope="session")
def reference():
    return json.loads(REFERENCE.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def prefect_harness():
    from flows import settings

    settings.apply()
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness():
        yield
