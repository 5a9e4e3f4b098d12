"""The public Python API: run a configuration and read the run folder it made.

>>> import gbo                                                  # doctest: +SKIP
>>> run = gbo.run("demo-data/demo.toml")                        # doctest: +SKIP
>>> run.table("profile", "tables").to_pandas()                  # doctest: +SKIP

:func:`run` is what ``gbo run CONFIG`` does, without the command line: it resumes the latest
run of the same configuration file (keeping every stage whose inputs and settings are
unchanged) unless ``new`` is true, and returns the run folder as a :class:`RunFolder`.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path

from gbo.config import RunConfig, load_config
from gbo.pipeline import run_pipeline
from gbo.progress import Progress
from gbo.runfolder import RunFolder


def run(
    config: RunConfig | Path | str | PathLike[str],
    *,
    new: bool = False,
    until: str | None = None,
    progress: Progress | None = None,
) -> RunFolder:
    """Run the pipeline for ``config`` (a configuration file, or a loaded :class:`RunConfig`).

    With a file, a later call with the same file resumes its latest run; a loaded config
    always starts a new run folder (it has no file to recognise it by). ``until`` stops after
    the named stage. Errors a user can cause are :class:`gbo.GboError`.
    """
    if isinstance(config, RunConfig):
        loaded, config_path = config, None
    else:
        config_path = Path(config)
        loaded = load_config(config_path)
    run_dir = run_pipeline(
        loaded, config_path=config_path, resume=not new, until=until, progress=progress
    )
    return RunFolder(run_dir)
