"""Language of an article's text, for pages that do not declare one."""

from __future__ import annotations

# Below this many characters the guess is a coin toss; say nothing instead.
MIN_DETECTION_CHARS = 200
# A guess with a lower normalized probability is not reported.
MIN_CONFIDENCE = 0.8
# The start of an article is enough to tell its language.
DETECTION_SAMPLE_CHARS = 5000


def detect_language(text: str) -> str | None:
    if len(text) < MIN_DETECTION_CHARS:
        return None
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    global _identifier
    if _identifier is None:
        _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    code, probability = _identifier.classify(text[:DETECTION_SAMPLE_CHARS])
    return code if probability >= MIN_CONFIDENCE else None


_identifier = None
