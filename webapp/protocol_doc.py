"""The generated sections of webapp/PROTOCOL.md: the engine events (from capi/include/omni_c.h
and the wire's renames), the WebSocket session's own messages (MESSAGES in
webapp/omni_realtime.py) and the error codes (webapp/errors.json, through webapp/errors.py).

    python -m webapp.protocol_doc          # rewrite them in place
    python -m webapp.protocol_doc --check  # exit 1 when the file is out of date (the tests do this)
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from omni_py import _library

from .errors import ERRORS, GROUPS
from .omni_realtime import MESSAGES
from .wire import RENAMES

DOC = Path(__file__).with_name("PROTOCOL.md")
# Events that the wire turns into something of its own (see "Events" in PROTOCOL.md).
OWN_FORM = {"error": "`error: {code, message}` (code from the table below)",
            "stats": "folded into `done` as `stats`", "turn_done": "sent as `done`"}


def _begin(name: str) -> str:
    return f"<!-- generated: {name} (python -m webapp.protocol_doc) -->"


def _end(name: str) -> str:
    return f"<!-- end generated: {name} -->"


def events_section() -> str:
    header = _library.header_path().read_text(encoding="utf-8")
    rows = ["| `type` | C event | wire form | what the engine reports (omni_c.h) |", "|---|---|---|---|"]
    for const, value, comment in re.findall(r"^\s*(OMNI_EVENT_\w+) = (\d+),?\s*/\*\s*(.*?)\s*\*/", header, re.M):
        name = const.removeprefix("OMNI_EVENT_").lower()
        renames = RENAMES.get(name, {}).get("fields", {})
        form = OWN_FORM.get(name) or ("passed through" + "".join(f", `{a}` as `{b}`" for a, b in renames.items()))
        rows.append(f"| `{name}` | `{const}` ({value}) | {form} | {comment.replace('|', '/')} |")
    return "\n".join(rows)


def messages_section() -> str:
    rows = ["| `type` | fields | sent |", "|---|---|---|"]
    rows += [f"| `{kind}` | {fields or '—'} | {when} |" for kind, (fields, when) in MESSAGES.items()]
    return "\n".join(rows)


def errors_section() -> str:
    out = []
    for group, title in GROUPS.items():
        out += [f"**From {title}**", "", "| code | HTTP | meaning |", "|---|---|---|"]
        out += [f"| `{e.code}` | {e.http} | {e.description}" + (f" (`{e.status}`)" if e.status else "") + " |"
                for e in ERRORS.values() if e.group == group]
        out.append("")
    return "\n".join(out).rstrip()


SECTIONS = {"events": events_section, "messages": messages_section, "errors": errors_section}


def render(text: str) -> str:
    """`text` with every generated section replaced by its current content."""
    for name, make in SECTIONS.items():
        begin, end = _begin(name), _end(name)
        if begin not in text or end not in text:
            raise ValueError(f"{DOC.name} lacks the markers of the generated section {name!r}")
        head, rest = text.split(begin, 1)
        tail = rest.split(end, 1)[1]
        text = f"{head}{begin}\n{make()}\n{end}{tail}"
    return text


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    current = DOC.read_text(encoding="utf-8")
    fresh = render(current)
    if "--check" in argv:
        if fresh != current:
            print(f"{DOC} is out of date: run python -m webapp.protocol_doc", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
