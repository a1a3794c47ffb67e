"""Framing measures: actors' sides, share of voice, naming, loaded labels, reporting verbs, tone, generic frames, prominence."""
from .agreement import (
    CODER_COLUMNS, MACHINE, PAIR_COLUMNS, agreement_summary, answer_matrix, coder_agreement, coder_template, cohen_kappa,
    krippendorff_alpha, pairwise_agreement, read_coder_answers, split_coders,
)
from .common import NARRATOR, QUOTE_COLUMNS, SPEAKER_SEPARATOR, SPEAKING_LABELS, UNKNOWN, WORD_RE, split_speakers, word_count
from .generic_frames import DEFAULT_ACTOR_LABELS, EVIDENCE_COLUMNS, QUESTION_KEYS, RULE_KEYS, frame_evidence, frame_scores, frames, load_codebook
from .loaded import loaded_by_voice, loaded_labels, loaded_lexicon
from .names import HONORIFIC_GENDER, PRONOUN_GENDER, ROLE_NOUNS, naming
from .page import furniture_share, page_furniture, prominence
from .sentiment import NARRATION_MIN_WORDS, tone, tone_arc, tone_by_speaker, tone_paragraphs, tone_sentences, tone_voices
from .sides import actor_sides
from .tables import framing_tables
from .verbs import reporting_verbs, verb_connotation, verb_connotations, verb_profile
from .voice import UNKNOWN_SIDE, non_speaker_lexicon, speaking_actors, voice_by_actor, voice_by_side

__all__ = [
    # common: quotes-table conventions and small helpers
    "QUOTE_COLUMNS", "SPEAKER_SEPARATOR", "SPEAKING_LABELS", "UNKNOWN", "WORD_RE", "split_speakers", "word_count",
    # sides, voice
    "actor_sides", "UNKNOWN_SIDE", "non_speaker_lexicon", "speaking_actors", "voice_by_actor", "voice_by_side",
    # loaded labels, naming
    "loaded_labels", "loaded_by_voice", "loaded_lexicon", "HONORIFIC_GENDER", "PRONOUN_GENDER", "ROLE_NOUNS", "naming",
    # reporting verbs
    "reporting_verbs", "verb_connotation", "verb_connotations", "verb_profile",
    # tone
    "NARRATOR", "NARRATION_MIN_WORDS", "tone", "tone_arc", "tone_by_speaker", "tone_paragraphs", "tone_sentences",
    "tone_voices",
    # generic frames and coder agreement
    "DEFAULT_ACTOR_LABELS", "EVIDENCE_COLUMNS", "QUESTION_KEYS", "RULE_KEYS", "frame_evidence", "frame_scores", "frames", "load_codebook",
    "CODER_COLUMNS", "MACHINE", "PAIR_COLUMNS", "agreement_summary", "answer_matrix", "coder_agreement", "coder_template",
    "cohen_kappa", "krippendorff_alpha", "pairwise_agreement", "read_coder_answers", "split_coders",
    # prominence and page furniture; everything at once
    "furniture_share", "page_furniture", "prominence", "framing_tables",
]
