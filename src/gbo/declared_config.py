"""A stage's view of the run configuration: only the settings the stage declares.

A stage's fingerprint (what decides whether a resumed run may keep its outputs) covers only
the config sections :mod:`gbo.stages` declares for it. A stage that read any other setting
would keep a stale output when that setting changed, so the view a stage gets refuses, loudly,
every setting outside its declaration.
"""

from __future__ import annotations

from typing import Any

from gbo.errors import UndeclaredSettingError


class DeclaredConfig:
    """Attribute access to a config (or a part of it), limited to declared setting paths.

    ``declared`` holds section names (``"link"``) or single settings
    (``"disclosure.threshold"``). Reading a declared path, or anything below it, returns the
    real value; reading a section that only some declared settings sit in returns another
    view; reading anything else raises :class:`~gbo.errors.UndeclaredSettingError`.
    """

    __slots__ = ("_declared", "_prefix", "_stage", "_value")

    def __init__(self, value: Any, stage: str, declared: tuple[str, ...], prefix: str = "") -> None:
        self._value = value
        self._stage = stage
        self._declared = declared
        self._prefix = prefix

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        path = self._prefix + name
        if any(path == d or path.startswith(d + ".") for d in self._declared):
            return getattr(self._value, name)
        if any(d.startswith(path + ".") for d in self._declared):
            return DeclaredConfig(
                getattr(self._value, name), self._stage, self._declared, path + "."
            )
        raise UndeclaredSettingError(
            f"stage {self._stage!r} read setting {path!r}, which it does not declare "
            f"(it declares {', '.join(self._declared) or 'none'})",
            hint="add the setting to the stage's config_sections in gbo.stages",
        )

    def __repr__(self) -> str:
        return f"<settings of stage {self._stage!r}: {', '.join(self._declared)}>"
