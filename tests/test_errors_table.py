"""The one error table (webapp/errors.py) is what the code raises, what PROTOCOL.md lists and
what the page translates."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from omni_py import _library
from webapp import protocol_doc
from webapp.errors import ERRORS, ApiError, from_engine

REPO = Path(__file__).resolve().parent.parent


def test_every_code_raised_is_in_the_table():
    raised = set()
    for path in (REPO / "webapp").rglob("*.py"):
        raised |= set(re.findall(r'ApiError\(\s*"([a-z_]+)"', path.read_text()))
    assert len(raised) > 20, raised  # the scan finds the literal codes
    assert raised <= set(ERRORS), raised - set(ERRORS)
    with pytest.raises(ValueError, match="not in webapp/errors.py"):
        ApiError("no_such_code", "x")
    assert ApiError("busy", "x").status == 409  # the status comes from the table


def test_every_engine_status_has_a_code():
    import omni_py

    ffi, _, _ = _library.load()
    for value, name in ffi.typeof("omni_status").elements.items():
        if value == 0:
            continue
        err = from_engine(omni_py.errors.BY_NAME[name]("boom"))
        assert ERRORS[err.code].status == name and err.message == "boom", name


def test_protocol_doc_is_up_to_date():
    doc = protocol_doc.DOC.read_text(encoding="utf-8")
    assert protocol_doc.render(doc) == doc, "webapp/PROTOCOL.md is out of date: run python -m webapp.protocol_doc"
    for code in ERRORS:
        assert f"| `{code}` |" in doc, code


def page_strings() -> dict:
    node = shutil.which("node")
    if node is None:
        print("SKIP reason: node is not installed, so i18n.js cannot be read as the browser reads it")
        pytest.skip("node is not installed")
    src = (REPO / "webapp/static/js/i18n.js").as_uri()
    out = subprocess.run([node, "--input-type=module", "-e",
                          f"import({json.dumps(src)}).then((m) => console.log(JSON.stringify(m.STRINGS)))"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_page_translates_every_code_in_every_language():
    strings = page_strings()
    assert set(strings) == {"en", "zh"}
    for lang, table in strings.items():
        page_codes = {k.removeprefix("err.code.") for k in table if k.startswith("err.code.")}
        assert page_codes == set(ERRORS), (lang, set(ERRORS) - page_codes, page_codes - set(ERRORS))
        for code in ERRORS:
            assert "{message}" in table[f"err.code.{code}"], (lang, code)
    assert set(strings["en"]) == set(strings["zh"]), set(strings["en"]) ^ set(strings["zh"])
