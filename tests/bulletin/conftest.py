"""The publish tests' fixture run, published once per session, serves the bulletin tests."""

from tests.publish.conftest import publish_dir, published  # noqa: F401
