"""Engines are named once, in libomni_c's registry: the server's --engine choices, the option
checks and the page's simulator label all come from it."""
from __future__ import annotations

import pytest
import requests

import omni_py
from webapp import cli
from webapp.engine_options import CONVERSATION_OPTIONS, EngineSettings, schema
from webapp.errors import ApiError
from webapp.testing import running_server


def parse(*argv):
    return cli.server_parser().parse_args(list(argv))


def test_engine_choices_are_the_registry():
    action = next(a for a in cli.server_parser()._actions if "--engine" in a.option_strings)
    assert list(action.choices) == omni_py.engines()
    with pytest.raises(SystemExit):
        parse("--engine", "no-such-engine")


def test_every_kind_has_the_conversation_options():
    for kind in omni_py.engines():
        assert set(CONVERSATION_OPTIONS) <= set(schema(kind)), kind


def test_engine_option_keys_are_checked_against_the_kind():
    with pytest.raises(SystemExit, match=r"engine sim has no option nope \(it has: .*reply_tokens"):
        cli.settings_from_args(parse("--engine", "sim", "--engine-option", "nope=1"))
    settings, _ = cli.settings_from_args(parse("--engine", "sim", "--engine-option", "reply_tokens=7",
                                               "--ctx-size", "2048"))
    opts = settings.engine_options()
    assert opts["reply_tokens"] == "7" and "n_ctx" not in opts  # a seed flag the simulator lacks
    assert settings.options["n_ctx"] == 2048  # kept: it applies when the kind has it


def test_values_outside_the_schema_are_refused():
    with pytest.raises(ApiError) as e:
        EngineSettings("sim").changed({"language": "fr"})
    assert e.value.code == "invalid_value" and "en, zh" in e.value.message
    assert EngineSettings("sim").changed({"language": "zh"}).language == "zh"


def test_health_says_whether_the_engine_is_simulated():
    with running_server() as s:
        h = requests.get(s.url + "/health").json()
        assert h["simulated"] is True and h["model_files"] is None  # before init: from the settings
        requests.post(s.url + "/omni/init_sys_prompt", json={})
        h = requests.get(s.url + "/health").json()
        assert h["simulated"] is True and h["engine"] == "sim"  # now the engine's own word
