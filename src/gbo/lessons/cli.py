"""``gbo lessons``: code a library of case reviews, confirm findings, measure the coder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import pyarrow.parquet as pq
import typer

from gbo.cli_support import out, progress, user_errors
from gbo.lessons.embedding import DEFAULT_ENCODER, EncoderName

app = typer.Typer(
    help="Lessons from case reviews: recurring failures, with evidence.", no_args_is_help=True
)

PROBE = Path(__file__).resolve().parents[3] / "tests/data/lessons/negation_probe.csv"


PublishedWording = Annotated[
    bool | None,
    typer.Option(
        "--published-wording/--no-published-wording",
        help="Train the theme models, the polarity gate and the denied-theme models on the "
        "digests in published wording too (the default with the classifier): more themes "
        "found in real reviews, a few more given to denials (docs/methodology/lessons.md, "
        "'Two coders').",
        show_default=False,
    ),
]


SentenceModel = Annotated[
    EncoderName,
    typer.Option(
        "--encoder",
        help="The sentence model: mpnet, minilm (half the time and memory; fewer themes "
        "found, fewer given to adversarial probes' denials) or mpnet+minilm (both side by "
        "side; more precise, fewer themes found): docs/methodology/lessons.md.",
    ),
]


def _published_wording(asked: bool | None, embeddings: bool) -> bool:
    """The setting: as asked, else on whenever the classifier is used."""
    if asked and not embeddings:
        raise typer.BadParameter(
            "the digests in published wording train the classifier, which --no-embeddings "
            "turns off: drop one of the two",
            param_hint="--published-wording",
        )
    return embeddings if asked is None else asked


@app.command("run")
def run_command(
    library: Annotated[Path, typer.Argument(help="Folder of PDF, DOCX, HTML and text reviews.")],
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the outputs.")] = Path(
        "lessons-output"
    ),
    decisions: Annotated[
        Path | None, typer.Option(help="Accept/reject decisions (an edited candidates.csv).")
    ] = None,
    embeddings: Annotated[
        bool,
        typer.Option(help="Code with the trained classifier (off: keyword cues alone)."),
    ] = True,
    published_wording: PublishedWording = None,
    encoder: SentenceModel = DEFAULT_ENCODER,
) -> None:
    """Read and code every review; write lessons.html, CSV tables, Parquet and candidates.csv.

    Give candidates.csv to an analyst; pass their edited file back with --decisions to report
    confirmed and machine-only findings separately. The last line printed is the output folder.
    """
    from gbo.lessons.run import analyse_library
    from gbo.lessons.settings import LessonsSettings

    with user_errors():
        settings = LessonsSettings(
            library=library,
            decisions_file=decisions,
            use_embeddings=embeddings,
            train_on_published_wording=_published_wording(published_wording, embeddings),
            encoder=encoder,
        )
        outputs = analyse_library(library, settings, progress())
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, table in outputs.tables.items():
            pq.write_table(table, out_dir / f"{name}.parquet")
        (out_dir / "tables.json").write_text(json.dumps(outputs.tables_metadata, indent=2))
        (out_dir / "candidates.csv").write_text(outputs.candidates_csv, encoding="utf-8")
        for name, text in outputs.files.items():
            (out_dir / name).write_text(text, encoding="utf-8")
        for warning in outputs.warnings:
            out.print(f"[yellow]warning[/yellow] {warning}")
        for key, value in outputs.summary.items():
            out.print(f"{key.replace('_', ' ')}: {value}", highlight=False)
    out.print(str(out_dir), highlight=False)


@app.command("evaluate")
def evaluate_command(
    split: Annotated[
        str,
        typer.Option(
            help="Labelled digests to score: train, dev, test, all (those three) or sealed."
        ),
    ] = "test",
    baseline: Annotated[
        bool, typer.Option(help="Score the similarity-to-definitions baseline instead.")
    ] = False,
    embeddings: Annotated[
        bool, typer.Option(help="Use the classifier (off: keyword cues alone).")
    ] = True,
    probe: Annotated[
        Path | None,
        typer.Option(help="Negation probe CSV [default: tests/data/lessons/negation_probe.csv]."),
    ] = None,
    per_document: Annotated[bool, typer.Option(help="Print each document's misses.")] = False,
    digests: Annotated[
        Path | None,
        typer.Option(
            help="Your own labelled digests (CSV: doc_id, kind, text, themes, denied) to score "
            "instead of a split."
        ),
    ] = None,
    published_wording: PublishedWording = None,
    encoder: SentenceModel = DEFAULT_ENCODER,
) -> None:
    """Precision, recall and F1 by document on the labelled digests, and the negation probe."""
    from gbo.lessons.analysis import SentenceCoder, default_coder
    from gbo.lessons.baseline import SimilarityBaseline
    from gbo.lessons.digest_file import read_digests
    from gbo.lessons.evaluation import (
        coded_paragraphs,
        digest_scores,
        mixed_scores,
        probe_false_positives,
        read_probe,
    )
    from gbo.lessons.labelled import SEALED, SPLITS, labelled_documents
    from gbo.lessons.scores import score_sets
    from gbo.lessons.settings import LessonsSettings
    from gbo.lessons.taxonomy import load_taxonomy
    from gbo.lessons.uncertainty import share_interval

    with user_errors():
        if split not in (*SPLITS, SEALED, "all"):
            raise typer.BadParameter(
                f"{split!r}: use train, dev, test, all or sealed", param_hint="--split"
            )
        if digests is not None and split != "test":
            raise typer.BadParameter("give --split or --digests, not both", param_hint="--split")
        taxonomy = load_taxonomy()
        # read first, so that a faulty file is reported before the coder is fitted
        statements = read_probe(probe or PROBE, taxonomy.ids)
        own = read_digests(digests, taxonomy.ids) if digests is not None else None
        settings = LessonsSettings(
            use_embeddings=embeddings,
            train_on_published_wording=_published_wording(published_wording, embeddings),
            encoder=encoder,
        )
        cross_validated: dict[str, float] = {}
        model = ""
        if baseline:
            coder: SentenceCoder = SimilarityBaseline(taxonomy).code
        else:
            coder, description = default_coder(taxonomy, settings)
            model = str((description or {}).get("model", ""))
            cross_validated = dict(
                (description or {}).get("cross_validated_micro_f1", {})  # type: ignore[call-overload]
            )
        if own is not None:
            documents = own
        elif split == "all":
            documents = [d for s in SPLITS for d in labelled_documents(s)]
        else:
            documents = labelled_documents(split)
        coded = coded_paragraphs(taxonomy, documents, settings, coder)
        predicted = [frozenset(c) for c in coded]
        per_theme, _ = score_sets(taxonomy.ids, [d.themes for d in documents], predicted)
        scores = digest_scores(taxonomy.ids, documents, coded)
        false_positives = probe_false_positives(statements, coder)
        mixed = mixed_scores(statements, coder)
    scored = str(digests) if digests is not None else split
    out.print(f"{len(documents)} documents ({scored}), scored by document")
    out.print(f"{'theme':<6} {'precision':>9} {'recall':>7} {'F1':>6}  title")
    for theme_id, s in per_theme.items():
        title = taxonomy.theme(theme_id).title
        out.print(
            f"{theme_id:<6} {s.precision:9.3f} {s.recall:7.3f} {s.f1:6.3f}  {title}",
            highlight=False,
        )
    micro, f1_interval = scores.micro, scores.f1_interval
    out.print(f"micro  {micro.precision:9.3f} {micro.recall:7.3f} {micro.f1:6.3f}", highlight=False)
    if f1_interval:
        out.print(
            f"micro-F1, 95% interval resampling the documents: {f1_interval.text()}",
            highlight=False,
        )
    if scores.denied:
        share = scores.denied_interval
        out.print(
            f"denied themes: {scores.denied_given} of {scores.denied} assigned (a theme a "
            "document denies or praises and never states as a failing; share's 95% interval, "
            f"documents as clusters, {share.text() if share else ''}); {scores.on_denial} of "
            "them found in the paragraph that denies them, the rest in findings elsewhere",
            highlight=False,
        )
    if per_document:
        for doc, found, one in zip(documents, predicted, scores.per_document, strict=True):
            extra, missed = sorted(found - doc.themes), sorted(doc.themes - found)
            out.print(
                f"{doc.doc_id}: precision {one.precision:.3f} recall {one.recall:.3f} "
                f"F1 {one.f1:.3f} extra {extra} missed {missed}",
                highlight=False,
            )
    if cross_validated:
        out.print(f"sentence model: {model}", highlight=False)
        out.print(
            "trained on the digests in published wording too"
            if settings.train_on_published_wording
            else "trained on the digests in the taxonomy's wording only"
        )
        for name, f1 in cross_validated.items():
            out.print(f"out-of-fold micro-F1, {name}: {f1:.3f}", highlight=False)
    share = share_interval(len(false_positives), len(statements))
    out.print(
        f"negation probe: {len(false_positives)} false positive(s) in {len(statements)} "
        f"statements (share's 95% interval {share.text() if share else 'none'}; a theme on a "
        "negated, hedged or good-practice statement, or a theme a mixed statement does not "
        "carry)",
        highlight=False,
    )
    if mixed.statements:
        out.print(
            f"  mixed statements ({mixed.statements}): {mixed.themes_found} of "
            f"{mixed.themes_wanted} themes found; {mixed.denied_assigned} theme(s) of a "
            "negated clause assigned",
            highlight=False,
        )
    for statement, themes in false_positives:
        out.print(
            f"  {statement.statement_id} {'|'.join(themes)}: {statement.text}", highlight=False
        )


@app.command("compare")
def compare_command(
    digests: Annotated[
        Path,
        typer.Option(
            help="Your labelled digests (CSV: doc_id, kind, text, themes, denied), as for "
            "evaluate --digests."
        ),
    ],
    coder: Annotated[
        list[str] | None,
        typer.Option(
            help="A coder to score, once per coder, the first being the one the others are "
            "measured against: 'keywords' (cues alone), or a sentence model (mpnet, minilm, "
            "mpnet+minilm), trained on the digests in published wording too unless followed "
            "by '/taxonomy-wording' (default: mpnet, minilm, and both of those on the "
            "taxonomy's wording alone).",
            metavar="NAME",
        ),
    ] = None,
) -> None:
    """Several coders on the same labelled digests, each measured against the first.

    Each coder's figures come with 95% intervals, and each after the first with the
    difference in micro-F1 from the first, paired document by document. A difference whose
    interval spans zero is one your sample cannot tell from noise. Each coder is fitted the
    first time it is used (minutes; kept in the cache after that).
    """
    from gbo.lessons.comparison import DEFAULT_CODERS, compare_coders
    from gbo.lessons.digest_file import read_digests
    from gbo.lessons.taxonomy import load_taxonomy

    with user_errors():
        taxonomy = load_taxonomy()
        documents = read_digests(digests, taxonomy.ids)
        results = compare_coders(taxonomy, documents, coder or list(DEFAULT_CODERS))
    out.print(f"{len(documents)} documents ({digests}), scored by document", highlight=False)
    first = results[0]
    for result in results:
        out.print(f"{result.coder}: {result.scores.line()}", highlight=False)
        gain = result.gain
        if gain is not None:
            unclear = " (no difference this sample can show)" if gain.low <= 0 <= gain.high else ""
            out.print(
                f"  micro-F1 {result.scores.micro.f1 - first.scores.micro.f1:+.3f} against "
                f"{first.coder}, paired 95% interval {gain.text()}{unclear}",
                highlight=False,
            )


@app.command("make-library")
def make_library_command(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write the synthetic library to.")],
    documents: Annotated[int, typer.Option(help="Number of reviews.")] = 6,
    pages: Annotated[int, typer.Option(help="Pages per review (about).")] = 4,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 7,
) -> None:
    """Write a synthetic library of case reviews (PDF and DOCX) about agency practice."""
    from gbo.lessons.generator import write_library

    with user_errors():
        write_library(out_dir, documents, pages, seed, progress())
    out.print(str(out_dir), highlight=False)
