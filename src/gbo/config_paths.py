"""Paths in a configuration file are relative to the file: resolved by the settings' types.

Every setting typed :class:`~pathlib.Path` (alone, optional, in a list, or in a nested
section such as ``[[sources]]``) names a file or folder, and a relative value is taken
relative to the configuration file's folder. The walk follows the declared types of the
settings models, so a new ``Path`` setting is resolved without being listed anywhere.
"""

from __future__ import annotations

import types
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePath
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel


def resolve_config_paths(data: Any, model: type[BaseModel], base: Path) -> Any:
    """``data`` (a raw config mapping for ``model``) with every relative path made absolute."""
    if not isinstance(data, Mapping):
        return data
    out = dict(data)
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key in out:
            out[key] = _resolve(out[key], info.annotation, base)
    return out


def path_settings(model: type[BaseModel], prefix: str = "") -> list[str]:
    """The dotted names of every path setting of ``model`` (``sources.path``, ...)."""
    found: list[str] = []
    for name, info in model.model_fields.items():
        for kind in _leaf_types(info.annotation):
            if kind is Path:
                found.append(prefix + name)
            elif isinstance(kind, type) and issubclass(kind, BaseModel):
                found += path_settings(kind, f"{prefix}{name}.")
    return found


def _leaf_types(annotation: Any) -> list[Any]:
    origin = get_origin(annotation)
    if origin is Annotated:
        return _leaf_types(get_args(annotation)[0])
    if origin in (Union, types.UnionType, list, tuple, set, frozenset, Sequence):
        return [t for arg in get_args(annotation) for t in _leaf_types(arg)]
    if origin in (dict, Mapping):
        return _leaf_types(get_args(annotation)[1])
    return [annotation]


def _resolve(value: Any, annotation: Any, base: Path) -> Any:
    leaves = _leaf_types(annotation)
    if isinstance(value, str | PurePath) and Path in leaves and str not in leaves:
        return str((base / value).resolve())
    if isinstance(value, Mapping):
        models = [t for t in leaves if isinstance(t, type) and issubclass(t, BaseModel)]
        if len(models) == 1:
            return resolve_config_paths(value, models[0], base)
        if get_origin(annotation) in (dict, Mapping):
            inner = get_args(annotation)[1]
            return {k: _resolve(v, inner, base) for k, v in value.items()}
        return value
    if isinstance(value, list) and get_origin(annotation) in (list, tuple, Sequence):
        inner = get_args(annotation)[0] if get_args(annotation) else Any
        return [_resolve(v, inner, base) for v in value]
    return value
