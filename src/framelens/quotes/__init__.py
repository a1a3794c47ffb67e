"""Direct and indirect quotes with speakers, cues and time anchors; the quote timeline and share of voice."""
# Read in this order: lexicon (word lists), marks (quote marks), records, vocabulary (the speaker
# rules' word lists), cue_subjects (who a cue's subject is), descriptions ("the company" -> who),
# speakers (who speaks each quote), extract (extract_quotes), timeline (quote_timeline, share_of_voice).
from .extract import CLAUSAL_DEPS, QUOTE_COLUMNS, QUOTE_CONTRACT, TERMINALS, extract_quotes
from .lexicon import CueLexicon, cue_lexicon
from .marks import CLOSING_PUNCT, DOUBLE_CLOSE, DOUBLE_OPEN, QUOTE_CHARS, MarkedSpan, find_quote_marks
from .records import UNKNOWN, Cue, Speaker
from .speakers import MAX_FLOAT_GAP
from .timeline import TIMELINE_COLUMNS, VOICE_COLUMNS, body_position, quote_timeline, share_of_voice
from .vocabulary import RELATIVE_PRONOUNS, SPEAKER_MENTION_LABELS

__all__ = [
    "CLAUSAL_DEPS", "CLOSING_PUNCT", "Cue", "CueLexicon", "DOUBLE_CLOSE", "DOUBLE_OPEN", "MAX_FLOAT_GAP",
    "MarkedSpan", "QUOTE_CHARS", "QUOTE_COLUMNS", "QUOTE_CONTRACT", "RELATIVE_PRONOUNS", "SPEAKER_MENTION_LABELS",
    "Speaker", "TERMINALS", "TIMELINE_COLUMNS", "UNKNOWN", "VOICE_COLUMNS", "body_position", "cue_lexicon",
    "extract_quotes", "find_quote_marks", "quote_timeline", "share_of_voice",
]
