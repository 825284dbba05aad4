from tests.dates import D, at  # noqa: F401 — the case tests import them from here
