from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbo.lessons.findings import in_reference_section, is_apparatus, is_finding, strip_urls
from gbo.lessons.labelled import BODY_KINDS, labelled_paragraphs, other_hands_ids
from gbo.lessons.negation import analyse


@pytest.mark.parametrize(
    "line",
    [
        "Jay, A. (2014). Independent Inquiry into Child Sexual Exploitation in Rotherham.",
        "Published by the council, August 2014.",
        "Version 1.3 | Final | Not protectively marked",
        "Source: https://www.example.gov.uk/reviews/report.pdf",
        "Serious Case Review into Child Sexual Exploitation in Oxfordshire",
        "Berelowitz, S. et al. (2013). Office of the Children's Commissioner.",
        "Ofsted, CQC, HMIC and HMI Probation. September 2016.",
    ],
)
def test_apparatus_lines_are_not_findings(line: str) -> None:
    assert is_apparatus(line) or not is_finding(line)


def test_findings_are_findings() -> None:
    sentence = "Referrals were passed between agencies without anyone taking responsibility."
    assert not is_apparatus(sentence) and is_finding(sentence)


def test_the_labelled_digests_separate_findings_from_apparatus() -> None:
    """Every finding paragraph of the first author's digests passes (of the other hands',
    all but six put as questions); at most three of the first author's apparatus lines slip
    in (the other hands' are counted apart): one in the
    first 44 digests, and two in the seven test digests added in stop 25 (a citation and a
    metadata line), which were left as they are so as not to tune the filter on the test
    split."""
    other = other_hands_ids()
    paragraphs = [p for p in labelled_paragraphs() if p.kind != "heading"]
    findings = [p for p in paragraphs if p.kind in BODY_KINDS]
    apparatus = [p for p in paragraphs if p not in findings]
    lost = [p for p in findings if is_apparatus(p.text) or not is_finding(p.text)]
    assert not [p for p in lost if p.doc_id not in other]
    # the other hands' digests: six findings one writer was asked to put as questions ("Did
    # the commissioners know that ...?") are read as apparatus, a known loss (stop 38)
    assert len(lost) == 6 and all(p.text.endswith("?") for p in lost)
    slipped = [
        p
        for p in apparatus
        if not is_apparatus(p.text) and any(is_finding(s.text) for s in analyse(p.text))
    ]
    assert len([p for p in slipped if p.doc_id not in other]) <= 3, slipped
    # the other hands' title, metadata and reference lines are worded unlike the first
    # author's: 26 of their 480 reach the coder (stop 38), a known gap of the filter
    assert len([p for p in slipped if p.doc_id in other]) <= 26


def test_reference_sections_are_recognised() -> None:
    assert in_reference_section("References and further reading")
    assert in_reference_section("Appendix 2: documents reviewed")
    assert not in_reference_section("Findings about the police")


@given(st.text(alphabet="abc ./:", max_size=40), st.sampled_from(["https://", "www."]))
def test_urls_are_stripped(prefix: str, scheme: str) -> None:
    text = f"{prefix} {scheme}example.org/path?q=1 end"
    assert "example.org" not in strip_urls(text)


def test_a_list_item_without_a_full_stop_can_be_a_finding() -> None:
    item = "Strategy meetings not held after the second referral"
    assert is_apparatus(item)  # alone, it reads as a title
    assert not is_apparatus(item, in_list=True) and is_finding(item)
    assert is_apparatus("Version 1.3 | Final", in_list=True)


def test_only_list_items_in_a_list_count_as_listed() -> None:
    from gbo.lessons.analysis import in_list
    from gbo.lessons.documents import Paragraph

    paragraphs = [
        Paragraph(1, 1, "The panel found:"),
        Paragraph(1, 2, "- Meetings not held", list_item=True),
        Paragraph(1, 3, "A sentence that ends."),
        Paragraph(1, 4, "- 12 -", list_item=True),
        Paragraph(1, 5, "Another sentence that ends."),
    ]
    assert [in_list(paragraphs, i) for i in range(5)] == [False, True, False, False, False]
