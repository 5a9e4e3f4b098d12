"""Lessons: each document's counts under one version of the coder, and two versions compared
document by document (the paired intervals of docs/methodology/lessons.md, "How sure each
figure is").

    python -m benchmarks.lessons_counts write before.csv   # on the default branch's tree
    python -m benchmarks.lessons_counts write after.csv    # on the candidate's tree
    python -m benchmarks.lessons_counts paired before.csv after.csv

``write`` scores the default coder of the tree it runs in on the test and sealed splits, the
outside digest sets (never those kept unscored in ``UNSPENT``) and the dev digests, and
writes one row per document: its true and false positives, false negatives, and denied
themes given and denied. ``paired`` prints, for each set both files hold and for the outside
sets pooled, each version's micro-F1, the gain and its paired 95% interval. Counts only:
nothing here prints a row of text.
"""

from __future__ import annotations

import argparse
import csv
from collections import defaultdict
from pathlib import Path

from tests.lessons.outside_sets import outside_version

from benchmarks.bench_lessons import DEV_DIGESTS, OUTSIDE
from gbo.lessons.analysis import default_coder
from gbo.lessons.digest_file import read_digests
from gbo.lessons.evaluation import coded_paragraphs, digest_scores
from gbo.lessons.labelled import LabelledDocument, labelled_documents
from gbo.lessons.scores import Scores, pooled
from gbo.lessons.settings import LessonsSettings
from gbo.lessons.taxonomy import load_taxonomy
from gbo.lessons.uncertainty import paired_gain_interval

COLUMNS = ("set", "doc_id", "tp", "fp", "fn", "denied_given", "denied")
Counts = dict[str, dict[str, Scores]]  # set -> doc_id -> counts


def scored_sets() -> list[tuple[str, list[LabelledDocument]]]:
    """The splits, then the outside and dev digest sets ``bench_lessons`` scores."""
    ids = load_taxonomy().ids
    sets = [("test", labelled_documents("test")), ("sealed", labelled_documents("sealed"))]
    for path in sorted(OUTSIDE, key=outside_version):
        sets.append((f"outside v{outside_version(path)}", read_digests(path, ids)))
    for path in DEV_DIGESTS:
        sets.append((f"dev {path.stem.rsplit('_', 1)[1]}", read_digests(path, ids)))
    return sets


def write(out: Path) -> None:
    taxonomy, settings = load_taxonomy(), LessonsSettings()
    coder, _ = default_coder(taxonomy, settings)
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for name, documents in scored_sets():
            coded = coded_paragraphs(taxonomy, documents, settings, coder)
            scores = digest_scores(taxonomy.ids, documents, coded)
            print(f"{name} ({len(documents)} documents): {scores.line()}", flush=True)
            for doc, one, denied in zip(
                documents, scores.per_document, scores.denied_per_document, strict=True
            ):
                writer.writerow(
                    (name, doc.doc_id, one.true_positives, one.false_positives)
                    + (one.false_negatives, *denied)
                )
    print(out)


def read(path: Path) -> Counts:
    counts: Counts = defaultdict(dict)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            counts[row["set"]][row["doc_id"]] = Scores(
                int(row["tp"]), int(row["fp"]), int(row["fn"])
            )
    return counts


def paired(before_path: Path, after_path: Path) -> None:
    before, after = read(before_path), read(after_path)
    shared = [name for name in before if name in after]
    groups = [(name, [name]) for name in shared]
    groups.append(("outside sets pooled", [n for n in shared if n.startswith("outside")]))
    for label, names in groups:
        keys = [(n, d) for n in names for d in before[n]]
        missing = [f"{n}/{d}" for n, d in keys if d not in after[n]]
        if missing:
            raise SystemExit(f"{after_path} lacks documents of {before_path}: {missing[:5]}")
        first = [before[n][d] for n, d in keys]
        second = [after[n][d] for n, d in keys]
        gain = paired_gain_interval(first, second)
        f1_before, f1_after = pooled(first).f1, pooled(second).f1
        print(
            f"{label} ({len(keys)} documents): {f1_before:.3f} -> {f1_after:.3f}, gain "
            f"{f1_after - f1_before:+.3f}, paired 95% interval "
            f"{gain.text() if gain else 'none (one document)'}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("write").add_argument("out", type=Path)
    both = commands.add_parser("paired")
    both.add_argument("before", type=Path)
    both.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "write":
        write(args.out)
    else:
        paired(args.before, args.after)


if __name__ == "__main__":
    main()
