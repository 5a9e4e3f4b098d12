from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbo.lessons.coding import code_sentences
from gbo.lessons.negation import analyse
from gbo.lessons.statement_bank import NOT_FOUND, SHOWS
from gbo.lessons.taxonomy import keyword_themes, load_taxonomy

TAXONOMY = load_taxonomy()


def _codes(text: str) -> set[str]:
    sentences = analyse(text)
    return {c.theme_id for codes in code_sentences(TAXONOMY, sentences, None) for c in codes}


def test_taxonomy_is_complete_versioned_and_has_the_shared_t20() -> None:
    assert TAXONOMY.ids == [f"T{n:02d}" for n in range(1, 22)]
    assert all(t.keywords and t.exemplars and t.definition for t in TAXONOMY.themes)
    assert TAXONOMY.theme("T20").label == "FRONTLINE_WARNINGS_IGNORED"
    assert TAXONOMY.theme("T20").definition.startswith("Concerns from youth workers, outreach")
    assert TAXONOMY.theme("T21").label == "TRANSITION_TO_ADULTHOOD"
    assert TAXONOMY.changelog[-1].version == TAXONOMY.version == "2026.2"
    assert "T21" in TAXONOMY.changelog[-1].change


@pytest.mark.parametrize(
    "sentence",
    [
        "There was no failure to share information between agencies.",
        "Fear of being seen as racist had not influenced decisions.",
        "The panel is satisfied that return interviews were offered after each missing episode.",
        "The review found no evidence that information sharing contributed to the delay.",
    ],
)
def test_a_statement_that_a_failure_was_not_found_is_not_coded(sentence: str) -> None:
    assert keyword_themes(TAXONOMY, sentence)  # the wording alone would match a theme
    assert all(c.negated for s in analyse(sentence) for c in s.clauses)
    assert _codes(sentence) == set()


def test_a_negated_clause_does_not_remove_an_affirmed_one() -> None:
    sentence = "The review found no wilful neglect, but a worrying lack of professional curiosity."
    [analysed] = analyse(sentence)
    assert [c.negated for c in analysed.clauses] == [True, False]
    assert "curiosity" in analysed.affirmed_text and "neglect" not in analysed.affirmed_text
    assert _codes(sentence) == {"T07"}


def test_a_failure_stated_with_not_is_still_a_finding() -> None:
    [analysed] = analyse("Information held by the school was not shared with social care.")
    assert not analysed.negated
    assert "T06" in _codes(analysed.text)


@pytest.mark.parametrize(
    "sentence",
    [
        "The parents' concerns were not ignored.",
        "The young person was never criminalised.",
        "Adult services took over without a gap.",
        "Neither agency failed to attend the meetings.",
        "None of the practitioners interviewed described a reluctance to act.",
        "The warnings from the outreach team did not go unheeded.",
        "No child in the sample was left without support at eighteen.",
        "No action from the earlier review remained outstanding.",
        "It would be unfair to say that managers were indifferent.",
        "Not once did the school fail to pass on its concerns.",
        "Delay in charging the suspects was not a feature of this case.",
        "Gaps in the exchange of intelligence were not evident after the new protocol.",
        "The concern that managers suppressed the audit proved groundless.",
        "Criticism of a reluctance to record ethnicity was, on inspection, without foundation.",
        "The complaint that the carers were never consulted was looked into and not upheld.",
    ],
)
def test_a_denied_failure_negates_its_clause(sentence: str) -> None:
    assert all(c.negated for s in analyse(sentence) for c in s.clauses)


@pytest.mark.parametrize(
    "sentence",
    [
        "Information held by the school was not shared with social care.",
        "Staff did not recognise the missed appointments as warning signs.",
        "The police did not act and the warnings from youth workers were ignored.",
        "Concerns were dismissed because the child was not believed.",
        "Young people were left without support when they turned eighteen.",
        "The response was not without its failures, and information was not shared.",
        "The school's warnings were dismissed as groundless by the duty team.",
        "Accounts given by the young people were not recorded or passed on.",
    ],
)
def test_a_failure_beside_a_negator_stays_a_finding(sentence: str) -> None:
    assert not any(c.negated for s in analyse(sentence) for c in s.clauses)


def test_a_refuted_claim_in_one_clause_leaves_the_other() -> None:
    [analysed] = analyse(
        "Referrals from the school were not followed up, but the claim that they were lost "
        "is unfounded."
    )
    assert [c.negated for c in analysed.clauses] == [False, True]


def test_hedged_clauses_are_kept_and_marked() -> None:
    [analysed] = analyse("Information appears to have been shared too late to make a difference.")
    assert analysed.hedged and not analysed.negated and not analysed.speculative
    assert analysed.affirmed_text


@pytest.mark.parametrize(
    "text",
    [
        "Information may have been shared too late to make a difference.",
        "It is possible that the school did not pass on its log.",
        "It is conceivable, but unproven, that the concerns were not passed on.",
        "That the referral was lost cannot be ruled out.",
        "The reviewer was unable to determine whether the officers had been trained.",
        "It would be speculative to suggest that staff were reluctant to act.",
        "The panel could not reach a view on whether senior leaders knew of the problem.",
        "The review has not been able to establish whether staff had been trained before 2015.",
    ],
)
def test_speculative_clauses_are_not_coded(text: str) -> None:
    [analysed] = analyse(text)
    assert analysed.speculative and analysed.affirmed_text == ""


def test_a_speculative_clause_leaves_the_affirmed_one_beside_it() -> None:
    [analysed] = analyse("Agencies may have known for years but did nothing.")
    assert analysed.speculative
    assert analysed.affirmed_text == "but did nothing."


@pytest.mark.parametrize(
    ("text", "affirmed"),
    [
        (
            "The mother believes her calls to the police were ignored. The call records are "
            "incomplete, and the panel could not resolve the matter either way.",
            [False, True],
        ),
        (
            "Youth workers told the review that their warnings were dismissed; managers recall "
            "otherwise, and the review cannot determine whether the warnings were made.",
            [False, False],
        ),
        (
            "Referrals from the school were not followed up. Staff said this was due to "
            "workload; managers disagree, and the panel makes no finding either way.",
            [True, False, True],
        ),
        # no verdict, or a verdict only before the claim: the claim stands as reported
        ("Youth workers told the review that their warnings were dismissed by managers.", [True]),
        (
            "The panel could not resolve which account is correct. Staff said that referrals "
            "were never acknowledged.",
            [True, True],
        ),
    ],
)
def test_a_reported_claim_the_review_leaves_undecided_is_not_coded(
    text: str, affirmed: list[bool]
) -> None:
    clauses = [c for s in analyse(text) for c in s.clauses]
    assert [c.affirmed for c in clauses] == affirmed


@pytest.mark.parametrize(
    "text",
    [
        "Fear of being seen as racist did not influence any decision taken by the council.",
        "Out-of-area placements not a factor in the children's exposure to harm",
        "At no stage was the risk assessment left unrevised.",
        "Not once were the parents' calls ignored.",
        "The panel searched the case notes for delays in referral and found none.",
        "Gaps in exploitation flagging across the files sampled: none identified",
        "Lack of training is not among the issues this review identifies.",
        "The family's early difficulties were anything but missed.",
    ],
)
def test_denials_whose_cue_stands_after_the_failing_or_opens_the_sentence(text: str) -> None:
    [analysed] = analyse(text)
    assert analysed.negated and analysed.affirmed_text == ""


@pytest.mark.parametrize(
    ("text", "denied"),
    [
        ("The girl was not treated as an offender by the officers.", True),
        ("The records, none of which describe the children as promiscuous, are careful.", True),
        ("Nobody in the force regarded the girls as consenting.", True),
        ("The children were not treated as victims.", False),
        ("Boys were never seen as victims and treated as offenders.", False),
        ("Older teenagers were treated as offenders rather than as victims.", False),
    ],
)
def test_a_denied_label_is_a_denial_and_a_denied_victim_is_a_finding(
    text: str, denied: bool
) -> None:
    [analysed] = analyse(text)
    assert analysed.negated == denied


def test_a_negated_occasion_before_a_practice_states_the_failing() -> None:
    [analysed] = analyse("At no point did any agency analyse the missing-from-home data.")
    assert not analysed.negated and analysed.affirmed_text


def test_a_modal_qualifies_its_subject_but_not_outside_its_relative_clause() -> None:
    [subject] = analyse("The figures held by the council may have been incomplete in 2010.")
    assert subject.speculative and subject.affirmed_text == ""
    [relative] = analyse(
        "The missing-person data, which may have shown a clear pattern, were never analysed."
    )
    assert not relative.speculative and relative.affirmed_text
    [late] = analyse("Agencies did not act on information that may have prevented harm.")
    assert not late.speculative and late.affirmed_text


def test_records_not_found_is_still_a_finding() -> None:
    [analysed] = analyse("Records of the strategy meetings were not found in the files.")
    assert not analysed.negated and analysed.affirmed_text


def test_far_from_denies_a_failing_but_not_a_practice() -> None:
    [denial] = analyse(
        "Far from being dismissed as making lifestyle choices, the girl was seen as a child at "
        "risk in every record."
    )
    assert [c.negated for c in denial.clauses] == [True, False]
    [failing] = analyse(
        "Far from building a relationship with the boy, workers relied on leaflets."
    )
    assert not failing.negated and len(failing.affirmed_clauses) == 2


@given(
    st.sampled_from(["far from", "anything but"]),
    st.lists(st.sampled_from(["being", "ever", "so"]), max_size=2),
    st.sampled_from(["ignored", "dismissed", "overlooked", "delayed", "criminalised"]),
)
@settings(max_examples=40, deadline=None)
def test_a_two_word_negator_before_a_failure_word_denies_it(
    negator: str, fillers: list[str], failure: str
) -> None:
    [analysed] = analyse(" ".join(["The concerns were", negator, *fillers, failure]) + ".")
    assert analysed.negated and analysed.affirmed_text == ""


@given(st.lists(st.sampled_from(["  ", "\n", " \t ", " "]), min_size=6, max_size=6))
@settings(max_examples=30, deadline=None)
def test_extra_white_space_changes_no_clause(spaces: list[str]) -> None:
    words = ["The", "concerns", "were", "far", "from", "ignored,", "but", "nothing", "followed."]
    gaps = [*spaces, " ", " "]
    text = "".join(w + g for w, g in zip(words[:-1], gaps, strict=True)) + words[-1]
    assert analyse(text) == analyse(" ".join(words))


def test_save_that_ends_a_clause() -> None:
    [analysed] = analyse("The interviews were thorough, save that none was shared with the school.")
    assert len(analysed.clauses) == 2


def test_a_short_aside_between_commas_ends_no_clause() -> None:
    [analysed] = analyse("The police, however, did not act on the intelligence.")
    assert len(analysed.clauses) == 1


@pytest.mark.parametrize("theme_id", sorted(SHOWS))
def test_each_theme_statement_is_found_by_its_keywords(theme_id: str) -> None:
    for sentence in SHOWS[theme_id]:
        assert theme_id in _codes(sentence), sentence


@pytest.mark.parametrize("theme_id", sorted(NOT_FOUND))
def test_each_not_found_statement_is_not_coded(theme_id: str) -> None:
    assert all(_codes(s) == set() for s in NOT_FOUND[theme_id])


@settings(max_examples=40, deadline=None)
@given(
    # statements with a clause of their own after "but" are left out: that clause is affirmed
    st.sampled_from([s for group in SHOWS.values() for s in group if " but " not in s]),
    st.sampled_from(
        [
            "There is no evidence that",
            "The panel did not find that",
            "We found no indication that",
            "It is not the case that",
        ]
    ),
)
def test_prefixing_a_negation_removes_every_code(statement: str, prefix: str) -> None:
    assert _codes(f"{prefix} {statement[0].lower()}{statement[1:]}") == set()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.sampled_from(["One two three.", "Two words here.", "Three? Yes!", "Four items."]),
        max_size=6,
    )
)
def test_sentence_splitting_keeps_every_word(parts: list[str]) -> None:
    text = " ".join(parts)
    assert " ".join(s.text for s in analyse(text)).split() == text.split()


PLAIN = [s for group in SHOWS.values() for s in group if " but " not in s]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(PLAIN), st.sampled_from(PLAIN))
def test_a_denied_clause_before_but_leaves_exactly_the_affirmed_clause(
    denied: str, affirmed: str
) -> None:
    sentence = (
        f"The review found no evidence that {denied[0].lower()}{denied[1:-1]}, "
        f"but {affirmed[0].lower()}{affirmed[1:]}"
    )
    assert _codes(sentence) == _codes(affirmed)
