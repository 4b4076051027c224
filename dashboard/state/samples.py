"""The sample files bundled with the dashboard, one per task type, so a demo shows every
view without a file of its own."""

from __future__ import annotations

from pathlib import Path
from typing import Final

from analysis.base.errors import AnnotationDataError
from dashboard.state.open_file import OpenFile

ROOT: Final = Path(__file__).resolve().parents[2]
SAMPLE_DIR: Final = ROOT / "sample_data"
SAMPLES: Final[dict[str, str]] = {
    "sample_ko": "ko_news_topics.csv",
    "sample_en": "en_support_intents.csv",
    # The other task types, so a demo shows the span and multi-label views without a file.
    "sample_spans_ko": "tasks/ko_trial_spans_labelstudio.json",
    "sample_spans_en": "tasks/en_trial_spans_labelstudio.json",
    "sample_tags_en": "tasks/en_support_tags_labelstudio.json",
    # people and two model annotators (an LLM, a classifier), for the Models vs humans page
    "sample_llm_en": "models/en_support_intents_llm.csv",
}
DEFAULT_SAMPLE: Final = "sample_ko"
"""The sample a visitor sees before choosing a file."""


def sample_name(key: str) -> str:
    """The file name a bundled sample opens under (its name without the folder)."""
    return Path(SAMPLES[key]).name


def sample_file(key: str) -> OpenFile:
    """A bundled sample by its key in :data:`SAMPLES`.

    Raises
    ------
    AnnotationDataError
        When the sample is missing from ``sample_data/``.
    """
    path = SAMPLE_DIR / SAMPLES[key]
    if not path.is_file():
        raise AnnotationDataError(
            "the bundled sample is missing", file=path.name, fix="restore sample_data/ from the repository"
        )
    return OpenFile.from_bytes(path.name, path.read_bytes(), origin="sample")


def default_file() -> OpenFile | None:
    """The sample a visitor starts with, or None when it is not installed."""
    if not (SAMPLE_DIR / SAMPLES[DEFAULT_SAMPLE]).is_file():
        return None
    return sample_file(DEFAULT_SAMPLE)
