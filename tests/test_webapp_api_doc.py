"""The README's API section lists exactly the endpoints the app serves, with the right methods."""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from webapp import create_app  # noqa: E402
from webapp.testing import sim_config  # noqa: E402

DOC = (ROOT / "README.md").read_text().split("## API", 1)[1].split("\n## ", 1)[0]


def documented():
    return {(m, p) for m, p in re.findall(r"^\| (GET|POST|PUT|DELETE) \| `([^`]+)`", DOC, re.M)}


def served():
    app = create_app(sim_config())
    out = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.rule == "/":
            continue
        out |= {(m, rule.rule) for m in rule.methods - {"HEAD", "OPTIONS"}}
    return out


def test_every_documented_endpoint_exists():
    docs = documented()
    assert len(docs) >= 9
    assert docs <= served(), docs - served()


def test_every_endpoint_is_documented():
    assert served() <= documented(), served() - documented()


def test_documented_flags_exist():
    from webapp import cli

    help_text = cli.server_parser().format_help()
    flags = set(re.findall(r"`(--[a-z-]+)", DOC)) - {"--data-binary", "--image"}  # curl's and omni-chat's
    assert len(flags) > 10
    for flag in flags:
        assert flag in help_text, flag
