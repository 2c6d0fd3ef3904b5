"""Unit tests mirror the domain: each module of app/domain has its test module here."""

from pathlib import Path

import app.domain

UNIT = Path(__file__).parent


def test_every_domain_module_has_a_unit_test_module() -> None:
    modules = {path.stem for path in Path(app.domain.__file__).parent.glob("*.py")} - {"__init__"}
    missing = sorted(name for name in modules if not (UNIT / f"test_{name}.py").exists())
    assert missing == [], f"add tests/unit/test_<module>.py for: {missing}"
