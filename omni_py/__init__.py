"""omni_py — a thin cffi binding of libomni_c (MiniCPM-o voice chat engine).

    import omni_py
    with omni_py.Engine("sim") as eng:
        eng.prefill(audio=open("question.wav", "rb").read())
        for ev in eng.generate():
            if ev.type == "text":
                print(ev.text, end="", flush=True)
"""
from .engine import Engine, Turn, engines, options_schema
from .errors import (BadMedia, Busy, InternalError, InvalidArgument, ModelError, OmniError, StateError, Timeout,
                     TooLarge, Unsupported)
from .events import Event
from ._library import status_name

__all__ = ["Engine", "Turn", "Event", "engines", "options_schema", "library_info", "status_name",
           "OmniError", "InvalidArgument", "StateError", "Busy", "Unsupported", "BadMedia", "ModelError", "Timeout",
           "InternalError", "TooLarge"]


def library_info() -> dict:
    """Which libomni_c is loaded: path, version, ABI, engines."""
    from . import _library

    ffi, lib, path = _library.load()
    v = lib.omni_abi_version()
    return {"path": path, "version": ffi.string(lib.omni_version()).decode(), "abi": f"{v >> 16}.{v & 0xFFFF}",
            "engines": engines()}
