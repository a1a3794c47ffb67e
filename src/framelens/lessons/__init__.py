"""Lesson support: generic self-checks (``checks``), gold files (``gold``) and each lesson's views
and answers (``answers``; Lesson 6's in ``comparing``). Notebooks use ``from framelens import lessons`` and ``lessons.<name>``."""
from .answers import (
    LABEL_CHECK_COLUMNS, NARRATOR, ORGANISATION_ENDINGS, PLACE_ENDINGS, SOURCE, attribution_routes, attributions_to_check,
    compare_actor_counts, expected_attribution_verdicts, expected_direct_quotes, expected_f1, expected_label_verdicts,
    expected_lemma_merges, expected_marked_verbs, expected_merged_forms, expected_missed, expected_most_negative_speaker,
    expected_naming_variety, expected_nonbody_mentions, expected_pronoun_quotes, expected_recall, expected_right_speakers,
    expected_token_difference, expected_top_actor_aliases, expected_top_actors, expected_top_speakers, expected_top_words,
    expected_uncued_quotes, labels_to_check, lemma_groups, match_quotes, missed_names, name_variants, passages,
    score_extractors, stop_word_share, suspect_entities, tokens_side_by_side,
)
from .checks import (
    CORRECT, UNANSWERED, UNCHECKABLE, VERDICT_COLUMNS, WRONG, WRONG_TYPE, CheckResult, Reference, check_choice, check_coding,
    check_number, check_set, check_verdicts,
)
from .comparing import (
    article_passages, claim_to_check, expected_claim_verdicts, expected_groups_with_intervals, expected_smallest_group,
    expected_widest_reach,
)
from .gold import gold_file, quote_gold, read_gold_actors, score_gold_files

__all__ = [
    "CORRECT", "LABEL_CHECK_COLUMNS", "NARRATOR", "ORGANISATION_ENDINGS", "PLACE_ENDINGS", "SOURCE", "UNANSWERED",
    "UNCHECKABLE", "VERDICT_COLUMNS", "WRONG", "WRONG_TYPE", "CheckResult", "Reference", "article_passages", "attribution_routes",
    "attributions_to_check", "check_choice", "claim_to_check", "check_coding", "check_number", "check_set", "check_verdicts",
    "compare_actor_counts", "expected_attribution_verdicts", "expected_claim_verdicts", "expected_direct_quotes", "expected_f1",
    "expected_groups_with_intervals", "expected_smallest_group", "expected_widest_reach",
    "expected_label_verdicts", "expected_lemma_merges", "expected_marked_verbs", "expected_merged_forms", "expected_missed",
    "expected_most_negative_speaker", "expected_naming_variety", "expected_nonbody_mentions", "expected_pronoun_quotes",
    "expected_recall", "expected_right_speakers", "expected_token_difference", "expected_top_actor_aliases",
    "expected_top_actors", "expected_top_speakers", "expected_top_words", "expected_uncued_quotes", "gold_file",
    "labels_to_check", "lemma_groups", "match_quotes", "missed_names", "name_variants", "passages", "quote_gold",
    "read_gold_actors", "score_extractors", "score_gold_files", "stop_word_share", "suspect_entities", "tokens_side_by_side",
]
