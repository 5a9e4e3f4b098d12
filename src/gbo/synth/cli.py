"""``gbo synth``: make synthetic agency exports with their mappings and ground truth."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gbo.cli_support import out, progress, user_errors


def app(
    size: Annotated[
        int, typer.Option("--size", help="Person records over all three agencies.")
    ] = 5000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same bytes).")] = 7,
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for the exports, mappings and ground truth.")
    ] = Path("demo-data"),
) -> None:
    """Make synthetic police, social care and health exports (no real person in them).

    Writes the three exports, a mapping file for each, a run configuration (config.toml)
    and the ground truth (ground_truth/, never read by the pipeline). Does nothing if the
    folder already holds the same generation. The last line printed is the folder.
    """
    from gbo.synth.generate import generate

    with user_errors():
        output = generate(size=size, seed=seed, out_dir=out_dir, progress=progress())
    out.print(str(output.out_dir), highlight=False)
