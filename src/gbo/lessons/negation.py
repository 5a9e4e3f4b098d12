"""Sentences and clauses, and which clauses deny or hedge a finding, by negspacy's Negex.

A blank spaCy English pipeline (no model to download) splits text into sentences with the
rule-based ``sentencizer``. Negex components then run over it with gbo's own term sets
(``data/negation_terms.toml``): one finds the scope of cues that say a failure was *not*
found ("found no", "had not influenced"), another the scope of hedges ("appears to").

Negex marks spans; gbo gives it one span per word, so each word learns whether it lies in a
cue's scope. Negex cuts a sentence into clauses at its termination words ("but", "however");
a clause counts as negated when most of its words are in the scope of a negation cue inside
it, so "found no wilful neglect, but a worrying lack of curiosity" keeps its second clause (a
cue after the failing it denies, "X did not influence Y", also covers the rest of its
clause). A termination word opening a short aside between commas (", however,") cuts
nothing. A sentence that opens with a subordinate clause ("Although ...", ``[clauses]
fronted``) is also cut at that clause's first comma.

A clause is also negated when it denies a failure by a double negative: a general negator
closely followed by a word that names a failure ("were not ignored", "never criminalised",
"without a gap"), found by a spaCy ``Matcher`` built from the ``[denied_failure]`` terms.
Plain "not" alone never negates: reviews state most failures with it ("information was not
shared").

A clause is *speculative* when it only wonders whether a failing happened ("it is possible
that", "may have", "cannot be ruled out"; ``[speculation]``): Negex finds the cues, and gbo
scopes them itself (:func:`_speculation_scope`). Like a negated clause, it is not coded. A
negated label ("was not treated as an offender") and a negated occasion before a failure word
("at no stage ... left unrevised") also negate a clause (``[denied_failure]``).

A claim the review only reports and then leaves undecided is speculative too: a clause with
a reporting cue ("the family allege", "staff told the panel") that comes before, in the same
paragraph, a verdict saying the review cannot settle it ("could not resolve", "neither
confirmed nor ruled out", "which account is correct"; ``[undecided]``). Both are found by a
spaCy ``PhraseMatcher``. A reported claim with no such verdict after it is coded as usual.

A fourth Negex component marks the scope of *any* negator ("not", "no", "never", "without";
``[polarity_scope]`` in the same file) word by word. It decides nothing itself: each clause
carries its words with those in a negator's scope prefixed ``not_`` (``Clause.marked``), the
text the learned polarity gate (gbo.lessons.polarity) reads, so that "were not ignored" and
"were ignored" differ in its features ("not_ignored" against "ignored").
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

WORD_SPANS = "gbo_words"
# speculation cues that open with a modal, which qualifies the clause's subject as well
MODALS = frozenset({"may", "might"})
# a speculation cue just after one of these qualifies only its relative clause
RELATIVES = frozenset({"that", "which", "who", "whom", "whose", "where", "when", "if"})
DENIAL_SPANS = "gbo_denied_failures"
REPORTED_SPANS = "gbo_reported_claims"  # "the family allege", "staff told the panel"
VERDICT_SPANS = "gbo_undecided_verdicts"  # "the panel could not resolve the conflict"


@dataclass(frozen=True)
class Clause:
    text: str
    negated: bool
    hedged: bool
    marked: str = ""  # lower-case words, those in a negator's scope prefixed "not_"
    speculative: bool = False  # only wonders whether a failing happened ("it is possible that")

    @property
    def affirmed(self) -> bool:
        """Whether the clause asserts what it says: neither negated nor speculative."""
        return not self.negated and not self.speculative


@dataclass(frozen=True)
class Sentence:
    text: str
    clauses: tuple[Clause, ...]

    @property
    def affirmed_text(self) -> str:
        """The sentence without its negated clauses ('' when every clause is negated)."""
        return " ".join(c.text for c in self.clauses if c.affirmed).strip()

    @property
    def affirmed_clauses(self) -> tuple[Clause, ...]:
        """The clauses Negex did not drop."""
        return tuple(c for c in self.clauses if c.affirmed and c.text)

    @property
    def affirmed_marked(self) -> str:
        """The affirmed clauses' words with negation scope marked (see ``Clause.marked``)."""
        return " ".join(c.marked for c in self.clauses if c.affirmed and c.marked)

    @property
    def marked(self) -> str:
        """Every clause's words with negation scope marked, negated clauses included."""
        return " ".join(c.marked for c in self.clauses if c.marked)

    @property
    def negated(self) -> bool:
        return any(c.negated for c in self.clauses)

    @property
    def hedged(self) -> bool:
        return any(c.hedged and c.affirmed for c in self.clauses)

    @property
    def speculative(self) -> bool:
        return any(c.speculative and not c.negated for c in self.clauses)


def _rules() -> dict[str, Any]:
    text = (resources.files("gbo.lessons") / "data" / "negation_terms.toml").read_text("utf-8")
    return tomllib.loads(text)


def _words(patterns: list[str]) -> dict[str, Any]:
    """A token whose lower-case text matches one of ``patterns`` (regular expressions)."""
    return {"LOWER": {"REGEX": "^(?:" + "|".join(f"(?:{p})" for p in patterns) + ")"}}


def _gap(stops: list[str], most: int) -> dict[str, Any]:
    """Up to ``most`` words that do not end a clause."""
    return {"LOWER": {"NOT_IN": stops}, "OP": f"{{0,{most}}}"}


def _phrase(phrase: str) -> list[dict[str, Any]]:
    """A token pattern matching the words of ``phrase`` in order."""
    return [{"LOWER": word} for word in phrase.split()]


def _denial_patterns(rules: dict[str, Any], stops: list[str]) -> list[list[dict[str, Any]]]:
    """Token patterns of a denied failure: a negator (a word, or two of ``phrase_negators``:
    "far from"), up to ``gap`` filler words, a failure word; a negated subject opening a
    sentence, then up to ``subject_gap`` words that do not end a clause, then a failure
    word; a failure word, then up to ``existence_gap`` such words, then a negated word of
    existence ("were not repeated"); a negated occasion ("at no point"), up to
    ``occasion_gap`` such words, then a failure word; or a negator, a labelling verb, "as"
    and a label that is itself the failing ("was not treated as an offender")."""
    denied = rules["denied_failure"]
    failure = _words(list(denied["failures"]))
    subject_failure = _words([*denied["failures"], *denied.get("subject_failures", [])])
    fillers = {"LOWER": {"IN": list(denied["fillers"])}, "OP": f"{{0,{int(denied['gap'])}}}"}
    negators = [
        [{"LOWER": {"IN": list(denied["negators"])}}],
        *(_phrase(str(p)) for p in denied["phrase_negators"]),
    ]
    return [
        *([*negator, fillers, failure] for negator in negators),
        [
            {"LOWER": {"IN": list(denied["subject_negators"])}, "IS_SENT_START": True},
            {
                "LOWER": {"NOT_IN": stops},
                "IS_PUNCT": False,
                "OP": f"{{0,{int(denied['subject_gap'])}}}",
            },
            subject_failure,
        ],
        [
            failure,
            _gap(stops, int(denied["existence_gap"])),
            {"LOWER": {"IN": ["not", "never", "n't"]}},
            _words(list(denied["existence"])),
        ],
        *(
            [*_phrase(str(phrase)), _gap(stops, int(denied["occasion_gap"])), failure]
            for phrase in denied["occasions"]
        ),
        [
            {"LOWER": {"IN": list(denied["negators"])}},
            _gap([*stops, *denied["label_breaks"]], int(denied["label_gap"])),
            _words(list(denied["labelling_verbs"])),
            _gap([*stops, *denied["label_breaks"]], int(denied["label_gap"])),
            {"LOWER": "as"},
            {"LOWER": {"IN": list(denied["label_fillers"])}, "OP": "?"},
            _words(list(denied["labels"])),
        ],
    ]


def _refutation_patterns(
    rules: dict[str, Any], stops: list[str]
) -> dict[int, list[list[dict[str, Any]]]]:
    """Token patterns of a reported claim refuted in its own clause (``[refuted]``), by the
    number of words of the verdict that ends them: a claim word among the clause's first
    ``opening`` words, any words that do not end a clause, then the verdict."""
    refuted = rules["refuted"]
    claim = _words(list(refuted["claims"]))
    opening = int(refuted["opening"])
    words = {"LOWER": {"NOT_IN": stops}, "IS_PUNCT": False, "OP": f"{{0,{opening - 2}}}"}
    heads: list[list[dict[str, Any]]] = [
        [{**claim, "IS_SENT_START": True}],
        [{"IS_SENT_START": True, "IS_PUNCT": False}, words, claim],
        # a clause after a termination word: "..., but the claim that ... is unfounded"
        [{"LOWER": {"IN": stops}}, {**words, "OP": f"{{0,{opening - 1}}}"}, claim],
    ]
    rest: dict[str, Any] = {"LOWER": {"NOT_IN": stops}, "OP": "*"}
    one: list[dict[str, Any]] = [_words(list(refuted["verdicts"]))]
    two: list[list[dict[str, Any]]] = [
        [{"LOWER": {"IN": [first]}}, {"LOWER": {"IN": [second]}}]
        for first, second in refuted["verdict_pairs"]
    ]
    return {
        1: [[*head, rest, *one] for head in heads],
        2: [[*head, rest, *pair] for head in heads for pair in two],
    }


def _term_sets() -> dict[str, dict[str, list[str]]]:
    rules = _rules()
    return {
        kind: {
            "preceding_negations": list(rules[kind]["preceding"]),
            "following_negations": list(rules[kind]["following"]),
            "pseudo_negations": list(rules[kind]["pseudo"]),
            "termination": list(rules[kind]["termination"]),
        }
        for kind in ("negation", "hedging", "speculation", "polarity_scope")
    }


@lru_cache(maxsize=1)
def pipeline() -> Any:
    """The blank English pipeline: sentencizer, word spans, Negex for negation and hedging."""
    import negspacy.negation  # noqa: F401  (registers the "negex" factory)
    import spacy
    from spacy.language import Language
    from spacy.matcher import Matcher, PhraseMatcher
    from spacy.tokens import Doc

    if "gbo_word_spans" not in Language.factories:

        @Language.component("gbo_word_spans")
        def word_spans(doc: Doc) -> Doc:
            doc.spans[WORD_SPANS] = [doc[i : i + 1] for i in range(len(doc)) if doc[i].is_alpha]
            return doc

    if "gbo_denied_failures" not in Language.factories:

        @Language.factory("gbo_denied_failures")
        def denied_failures(nlp: Language, name: str) -> Any:
            stops = [t for t in _term_sets()["negation"]["termination"] if " " not in t]
            matcher = Matcher(nlp.vocab)
            matcher.add("denied_failure", _denial_patterns(_rules(), stops))
            verdict_length: dict[int, int] = {}
            for length, patterns in _refutation_patterns(_rules(), stops).items():
                key = f"refuted_claim_{length}"
                matcher.add(key, patterns)
                verdict_length[nlp.vocab.strings[key]] = length

            def find(doc: Doc) -> Doc:
                # a verdict just after "as" is someone's judgement reported by the review
                # ("dismissed as unfounded"), not the review's own: not a denial
                doc.spans[DENIAL_SPANS] = [
                    doc[s:e]
                    for key, s, e in matcher(doc)
                    if key not in verdict_length or doc[e - verdict_length[key] - 1].lower_ != "as"
                ]
                return doc

            return find

    if "gbo_undecided_claims" not in Language.factories:

        @Language.factory("gbo_undecided_claims")
        def undecided_claims(nlp: Language, name: str) -> Any:
            rules = _rules()["undecided"]
            matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
            for key, group in (("reported", REPORTED_SPANS), ("verdicts", VERDICT_SPANS)):
                matcher.add(group, [nlp.make_doc(phrase) for phrase in rules[key]])

            def find(doc: Doc) -> Doc:
                found: dict[str, list[Any]] = {REPORTED_SPANS: [], VERDICT_SPANS: []}
                for match, s, e in matcher(doc):
                    found[nlp.vocab.strings[match]].append(doc[s:e])
                for group, spans in found.items():
                    doc.spans[group] = spans
                return doc

            return find

    terms = _term_sets()
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("gbo_word_spans")
    nlp.add_pipe("gbo_denied_failures")
    nlp.add_pipe("gbo_undecided_claims")
    for kind, extension in (
        ("negation", "negex"),
        ("hedging", "hedged"),
        ("speculation", "speculative"),
        ("polarity_scope", "in_negator_scope"),
    ):
        nlp.add_pipe(
            "negex",
            name=kind,
            config={
                "neg_termset": terms[kind],
                "extension_name": extension,
                "span_keys": [WORD_SPANS],
            },
        )
    return nlp


def _cue_tokens(component: Any, doc: Any) -> set[int]:
    preceding, following, _ = component.process_negations(doc)
    return {i for _, start, end in preceding + following for i in range(start, end)}


@lru_cache(maxsize=4)
def _clause_words(key: str) -> frozenset[str]:
    """A word list of ``[clauses]`` in the term sets, read once."""
    return frozenset(str(w) for w in _rules()["clauses"][key])


def _fronted_cut(sent: Any) -> list[int]:
    """Where a fronted subordinate clause ends: a sentence opening with a word of
    ``[clauses] fronted`` ("Although ...", "While ...") is cut at its first comma, so that
    "Although the school referred promptly, social care did not follow it up" is two
    clauses. No cut when there is no comma."""
    first = next((t for t in sent if not t.is_punct and not t.is_space), None)
    if first is None or first.lower_ not in _clause_words("fronted"):
        return []
    comma = next((t.i for t in sent if t.i > first.i and t.text == ","), None)
    return [comma] if comma is not None and comma + 1 < sent.end else []


def _aside(doc: Any, i: int, sent: Any, longest: int = 3) -> bool:
    """Whether the termination word at ``i`` opens a short aside between commas (", but
    unproven,", ", however,"), which ends no clause."""
    if i == sent.start or doc[i - 1].text != ",":
        return False
    return any(doc[j].text == "," for j in range(i + 1, min(i + 1 + longest, sent.end - 1)))


def _compound(doc: Any, i: int) -> bool:
    """Whether the termination word at ``i`` is a "but" that ends no clause because the word
    before makes a phrase of it (``[clauses] compounds``: "anything but missed")."""
    return doc[i].lower_ == "but" and i > 0 and doc[i - 1].lower_ in _clause_words("compounds")


Cues = list[tuple[int, int, int]]  # (match id, start, end) as negspacy gives them


def _speculation_scope(
    doc: Any, start: int, end: int, preceding: Cues, following: Cues
) -> tuple[set[int], set[int]]:
    """The cue tokens of speculation inside the clause ``doc[start:end]``, and the tokens in
    their scope. A cue before what it qualifies ("it is possible that", "may have") reaches
    to the end of the clause; a modal ("may have") also reaches back to the clause's start,
    because it qualifies its subject too ("The figures may have been incomplete"), unless a
    relative word stands just before it, when its scope is that relative clause alone, up
    to the next comma ("the data, which may have shown a pattern, were never analysed"). A
    cue after what it qualifies ("... cannot be ruled out", "unproven") reaches back to the
    clause's start. NegEx (the ``speculation`` component) only finds the cues."""
    cue: set[int] = set()
    scope: set[int] = set()
    for _, s, e in preceding:
        if not (start <= s < end):
            continue
        cue.update(range(s, e))
        relative = s > start and doc[s - 1].lower_ in RELATIVES
        stop = end
        if relative:
            stop = next((t.i for t in doc[e:end] if t.text == ","), end)
        scope.update(range(e, stop))
        if not relative and doc[s].lower_ in MODALS:
            scope.update(range(start, s))
    for _, s, e in following:
        if start <= s < end:
            cue.update(range(s, e))
            scope.update(range(start, s))
    return cue, scope


def _most(flags: list[bool]) -> bool:
    """Whether at least half of a clause's words (there being some) are flagged."""
    return bool(flags) and 2 * sum(flags) >= len(flags)


def _clauses(doc: Any, sent: Any) -> tuple[Clause, ...]:
    nlp = pipeline()
    negation, hedging = nlp.get_pipe("negation"), nlp.get_pipe("hedging")
    wondering, wondered, _ = nlp.get_pipe("speculation").process_negations(doc)
    _, following, terminating = negation.process_negations(doc)
    cues = _cue_tokens(negation, doc)
    hedges = _cue_tokens(hedging, doc)
    words = {span.start: span for span in doc.spans[WORD_SPANS]}
    # the last place in the paragraph where the review says it cannot settle a claim
    verdict = max((span.start for span in doc.spans[VERDICT_SPANS]), default=-1)
    inner = (
        s
        for _, s, _ in terminating
        if sent.start < s < sent.end and not _aside(doc, s, sent) and not _compound(doc, s)
    )
    cuts = sorted({sent.start, sent.end, *inner, *_fronted_cut(sent)})
    found: list[Clause] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        text = doc[start:end].text.strip(" ,;:")
        if not text:
            continue
        content = [words[i] for i in range(start, end) if i in words and i not in cues]
        # a clause is negated by scope only through a cue of its own: Negex's scope does not
        # stop at the comma after a fronted clause ("Although no X was found, Y ...")
        own_cue = any(start <= i < end for i in cues)
        # a cue after what it denies ("X did not influence Y", "X was not a factor in Y")
        # denies the rest of its clause as well: Y is what X is said not to have touched
        after = {i for _, s, e in following if start <= s < end for i in range(e, end)}
        negated = own_cue and _most([w._.negex or w.start in after for w in content])
        negated = negated or any(
            start <= span.start and span.end <= end for span in doc.spans[DENIAL_SPANS]
        )
        hedged = any(w._.hedged for w in content) or any(start <= i < end for i in hedges)
        # speculative as negated by scope: a cue of its own, and most words in its scope
        wonders, unsure = _speculation_scope(doc, start, end, wondering, wondered)
        speculative = bool(wonders) and _most(
            [w.start in unsure for w in content if w.start not in wonders]
        )
        marked = " ".join(
            ("not_" if words[i]._.in_negator_scope else "") + words[i].text.lower()
            for i in range(start, end)
            if i in words
        )
        # a claim the review reports and, later in the paragraph, leaves undecided
        speculative = speculative or (
            start < verdict and any(start <= span.start < end for span in doc.spans[REPORTED_SPANS])
        )
        found.append(Clause(text, negated, hedged, marked, speculative))
    return tuple(found)


def analyse(text: str) -> list[Sentence]:
    """The sentences of a paragraph, each with its clauses marked negated or hedged."""
    return analyse_many([text])[0]


def analyse_many(texts: list[str], batch_size: int = 256) -> list[list[Sentence]]:
    """:func:`analyse` for many paragraphs, streamed through the pipeline in batches. Runs of
    white space count as one space (the term sets' phrases match words in sequence, and
    spaCy makes a token of extra spaces)."""
    nlp = pipeline()
    return [
        [Sentence(s.text.strip(), _clauses(doc, s)) for s in doc.sents if s.text.strip()]
        for doc in nlp.pipe((" ".join(t.split()) for t in texts), batch_size=batch_size)
    ]
