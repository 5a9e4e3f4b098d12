"""``generate``: draw the world, write three agency exports, their mappings, a run
configuration and the ground truth; skip the work when the folder already holds it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import tomli_w

from gbo.errors import GboError
from gbo.progress import Progress, SilentProgress
from gbo.schema.mapping import AgencyMapping
from gbo.synth.badrows import BadRowLog, BadRowSpec, plant_bad_rows
from gbo.synth.health import ISO_DATE, build_health, health_mapping
from gbo.synth.police import DMY, build_police, police_mapping
from gbo.synth.records import make_agency_records
from gbo.synth.settings import SynthSettings
from gbo.synth.social_care import build_social_care, social_care_mapping, split_sheets
from gbo.synth.truth import AgencyTruth, role_lists, write_ground_truth
from gbo.synth.world import build_world
from gbo.synth.writers import write_csv, write_ndjson, write_xlsx

GENERATOR_VERSION = "1"
STAMP_NAME = ".gbo-synth-stamp.json"
FILE_NAMES = {
    "police": "police_nominals.csv",
    "social_care": "social_care_children.xlsx",
    "health": "health_attendances.ndjson",
}


@dataclass(frozen=True)
class SynthOutput:
    """Where a generation put its files."""

    out_dir: Path
    config_path: Path
    ground_truth_dir: Path
    files: dict[str, Path]
    mappings: dict[str, Path]
    police_encoding: str


def police_encoding(seed: int, settings: SynthSettings) -> str:
    if settings.police_encoding != "by_seed":
        return settings.police_encoding
    return "cp1252" if seed % 2 else "utf-8-sig"


def _stamp(size: int, seed: int, settings: SynthSettings) -> dict[str, object]:
    return {
        "generator_version": GENERATOR_VERSION,
        "size": size,
        "seed": seed,
        "settings_hash": settings.settings_hash(),
    }


def _output(out_dir: Path, encoding: str) -> SynthOutput:
    return SynthOutput(
        out_dir=out_dir,
        config_path=out_dir / "config.toml",
        ground_truth_dir=out_dir / "ground_truth",
        files={agency: out_dir / name for agency, name in FILE_NAMES.items()},
        mappings={agency: out_dir / "mappings" / f"{agency}.toml" for agency in FILE_NAMES},
        police_encoding=encoding,
    )


def _is_complete(output: SynthOutput, stamp: dict[str, object]) -> bool:
    path = output.out_dir / STAMP_NAME
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if recorded.get("stamp") != stamp:
        return False
    files = recorded.get("files", {})
    for name, digest in files.items():
        file = output.out_dir / name
        if not file.exists() or file.stat().st_size != digest.get("bytes"):
            return False
    return bool(files)


def write_mapping(mapping: AgencyMapping, path: Path, note: str) -> None:
    """A mapping file as TOML, defaults left out, with a comment saying what it maps."""
    data = mapping.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    text = tomli_w.dumps({"mapping_version": mapping.mapping_version, **data})
    path.write_text(f"# {note}\n# Synthetic data made by gbo synth.\n\n{text}", encoding="utf-8")


def _write_config(output: SynthOutput, size: int, seed: int) -> None:
    config = {
        "run": {"name": "demo", "runs_dir": "../runs", "is_synthetic": True},
        "sources": [
            {
                "agency": agency,
                "path": output.files[agency].name,
                "mapping": f"mappings/{output.mappings[agency].name}",
            }
            for agency in FILE_NAMES
        ],
    }
    header = (
        f"# gbo run configuration for synthetic data (size {size}, seed {seed}).\n"
        "# Every person in these files is made up; distributions have no real-world meaning.\n\n"
    )
    output.config_path.write_text(header + tomli_w.dumps(config), encoding="utf-8")


def _digest(path: Path) -> dict[str, object]:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return {"sha256": sha.hexdigest(), "bytes": path.stat().st_size}


def generate(
    size: int,
    seed: int,
    out_dir: Path,
    progress: Progress = SilentProgress(),  # noqa: B008
    settings: SynthSettings | None = None,
) -> SynthOutput:
    """Make synthetic exports of three agencies with ``size`` person records in all.

    The same size, seed and settings give byte-identical files. If ``out_dir`` already
    holds a complete generation of them, nothing is redone.
    """
    settings = settings or SynthSettings()
    if size <= 0:
        raise GboError(f"size must be a positive number of person records, not {size}")
    out_dir = Path(out_dir).resolve()
    encoding = police_encoding(seed, settings)
    output = _output(out_dir, encoding)
    stamp = _stamp(size, seed, settings)
    if _is_complete(output, stamp):
        progress.log(f"Synthetic data already in {out_dir}")
        return output
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "mappings").mkdir(exist_ok=True)
    except OSError as exc:
        raise GboError(f"cannot create the output folder: {exc.strerror}", path=out_dir) from exc
    (out_dir / STAMP_NAME).unlink(missing_ok=True)

    streams = [np.random.default_rng(s) for s in np.random.SeedSequence([seed, size]).spawn(9)]
    world = build_world(streams[0], size, settings, progress)
    extract = settings.world.extract_date
    log = BadRowLog.empty()
    with progress.task("Writing agency exports", total=3) as task:
        police_records = make_agency_records(streams[1], world, "police", settings)
        police = build_police(streams[2], world, police_records)
        police_table = plant_bad_rows(
            streams[3], police.table,
            BadRowSpec("CommittedFrom", DMY, "HOOffenceCode", "99Z"),
            settings.bad_rows, extract, log, agency="police", source_file=FILE_NAMES["police"],
        )  # fmt: skip
        write_csv(police_table, output.files["police"], encoding)
        write_mapping(
            police_mapping(encoding), output.mappings["police"], "Police export (CSV) to gbo."
        )
        task.advance()

        sc_records = make_agency_records(streams[4], world, "social_care", settings)
        sc = build_social_care(streams[5], world, sc_records, settings.corruption)
        sheets = dict(sc.sheets)
        sheets["Children"] = plant_bad_rows(
            streams[5], sheets["Children"],
            BadRowSpec("Date of Birth", DMY, "Ethnicity", "Other (code 99)"),
            settings.bad_rows, extract, log, agency="social_care",
            source_file=FILE_NAMES["social_care"], sheet="Children",
        )  # fmt: skip
        written = split_sheets(sheets)
        write_xlsx(written, output.files["social_care"])
        write_mapping(
            social_care_mapping(list(written)),
            output.mappings["social_care"],
            "Children's social care export (XLSX) to gbo.",
        )
        task.advance()

        health_records = make_agency_records(streams[6], world, "health", settings)
        health = build_health(streams[7], world, health_records)
        health_table = plant_bad_rows(
            streams[8], health.table,
            BadRowSpec("birth_date", ISO_DATE, "service", "XX"),
            settings.bad_rows, extract, log, agency="health", source_file=FILE_NAMES["health"],
        )  # fmt: skip
        write_ndjson(health_table, output.files["health"])
        write_mapping(health_mapping(), output.mappings["health"], "Health export (NDJSON) to gbo.")
        task.advance()

    with progress.task("Writing ground truth", total=1) as task:
        police_roles = role_lists(
            len(police_records), police.involvement_record, police.involvement_role
        )
        write_ground_truth(
            world,
            {
                "police": AgencyTruth(police_records, police.nominal_ref, police_roles),
                "social_care": AgencyTruth(sc_records, sc.child_id),
                "health": AgencyTruth(health_records, health.patient_id),
            },
            police.crime_ref,
            log,
            output.ground_truth_dir,
        )
        _write_config(output, size, seed)
        task.advance()

    names = [*FILE_NAMES.values(), "config.toml", *(f"mappings/{a}.toml" for a in FILE_NAMES)]
    record = {"stamp": stamp, "files": {name: _digest(out_dir / name) for name in names}}
    (out_dir / STAMP_NAME).write_text(
        json.dumps(record, indent=2, sort_keys=True), encoding="utf-8"
    )
    return output
