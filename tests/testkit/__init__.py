"""Helpers shared by the tests: importable modules (tests/ is on the test path), never conftest imports."""
