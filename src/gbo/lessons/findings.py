"""Which text in a review states a finding, and which is apparatus: titles and headings,
metadata lines (author, date, version, page numbers), reference lists and web addresses.

Only findings are coded. Headings are known from the reader; the rest is recognised here by
the shape of the text and by the section it sits in:

- a paragraph that does not end like a sentence (a title, a label, a line of fields), unless
  it is an item of a bulleted list (gbo.lessons.analysis decides what counts as a list);
- a metadata line: it opens with a field name ("Published", "Version", "Page 2") or is a
  short verbless line carrying a date ("Ofsted, September 2016.");
- a citation: capitalised names, then a year in brackets ("Jay, A. (2014). ...");
- a line of names (most words capitalised), a question, or fewer than five words once web
  addresses are removed;
- anything in a section headed "References", "Bibliography", "Sources", "Appendix" and the
  like.
"""

from __future__ import annotations

import re

URL = re.compile(r"(https?://|www\.)\S+|\b[\w-]+(\.[\w-]+)+/\S*", re.IGNORECASE)
REFERENCE_SECTION = re.compile(
    r"\b(references|bibliography|sources|further reading|endnotes|footnotes|glossary|"
    r"contents|appendix|appendices|annex|acknowledgements|list of (documents|interviewees))\b",
    re.IGNORECASE,
)
METADATA_LINE = re.compile(
    r"^\s*(published|paraphrased|author|authors|date|dated|version|status|page\s+\d+|"
    r"chair|chaired|independent (reviewer|author)|approved|prepared|classification|"
    r"not protectively marked|isbn|issn|reference no|ref\.?|hc \d+|cp \d+|contents|"
    r"annex|appendix|source|sources|references|see also|further reading|link|available at|"
    r"registered charity|copyright|©)\b",
    re.IGNORECASE,
)
CITATION = re.compile(
    r"^([A-Z][\w'’&.,-]*\s*|et al\.\s*|and\s+|of\s+|the\s+|for\s+)+\(\s*(19|20)\d{2}[a-z]?\s*\)"
)
MONTH_YEAR = re.compile(
    r"\b(january|february|march|april|may|june|july|august|september|october|november|"
    r"december)\s+(19|20)\d{2}\b",
    re.IGNORECASE,
)
FINITE = re.compile(
    r"\b(is|are|was|were|be|been|being|has|have|had|do|does|did|can|could|should|would|"
    r"will|shall|may|might|must)\b",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"[.!][\"'’”)\]]*$")
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
MIN_WORDS = 5


def strip_urls(text: str) -> str:
    """The text with web addresses removed."""
    return " ".join(URL.sub(" ", text).split())


def in_reference_section(section: str) -> bool:
    return bool(REFERENCE_SECTION.search(section))


def is_apparatus(paragraph: str, in_list: bool = False) -> bool:
    """True for a paragraph that is a title, metadata line, citation or line of fields. An
    item of a bulleted list (``in_list``) need not end like a sentence: findings are often
    listed without full stops."""
    text = strip_urls(paragraph)
    if (not in_list and not SENTENCE_END.search(text)) or "|" in text:
        return True
    if METADATA_LINE.match(text) or CITATION.match(text) or "et al." in text:
        return True
    words = WORD.findall(text)
    return len(words) <= 20 and bool(MONTH_YEAR.search(text)) and not FINITE.search(text)


def is_finding(sentence: str) -> bool:
    """True for a sentence that can state a finding: at least five words once addresses
    are removed, not a question, and not a line of names (most words capitalised)."""
    text = strip_urls(sentence)
    words = [w for w in WORD.findall(text) if len(w) > 2]
    if len(WORD.findall(text)) < MIN_WORDS or text.rstrip("\"'’”) ").endswith("?"):
        return False
    capitalised = sum(w[0].isupper() for w in words[1:])
    return bool(capitalised < 0.6 * max(len(words) - 1, 1))
