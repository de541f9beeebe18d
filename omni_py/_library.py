"""Finding and loading libomni_c with cffi in ABI mode.

The cffi declarations are read from omni_c.h itself (the block between
OMNI_CDEF_BEGIN and OMNI_CDEF_END), so this binding cannot drift from the C ABI.
"""
from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import cffi

from . import errors
from .errors import OmniError
from .events import EventNames

ABI_MAJOR = 1
ABI_MINOR_MIN = 2  # omni_event_type_name()
_PKG_DIR = Path(__file__).resolve().parent
_REPO_DIR = _PKG_DIR.parent
_LIB_NAMES = {"win32": "omni_c.dll", "darwin": "libomni_c.dylib"}
LIB_NAME = _LIB_NAMES.get(sys.platform, "libomni_c.so")

_lock = threading.Lock()
_loaded: tuple[cffi.FFI, object, str] | None = None
_event_names: EventNames | None = None


def header_path() -> Path:
    """omni_c.h: installed beside the package, or in the source tree."""
    for p in (_PKG_DIR / "omni_c.h", _REPO_DIR / "capi" / "include" / "omni_c.h"):
        if p.is_file():
            return p
    raise OmniError("omni_c.h not found beside omni_py or in capi/include/")


def cdef_source(header: str) -> str:
    """The plain C declarations of omni_c.h, as cffi's cdef wants them."""
    begin, end = "/* OMNI_CDEF_BEGIN */", "/* OMNI_CDEF_END */"
    if begin not in header or end not in header:
        raise OmniError("omni_c.h has no OMNI_CDEF_BEGIN/END block")
    body = header.split(begin, 1)[1].split(end, 1)[0]
    return body.replace("OMNI_API ", "")


def candidate_paths() -> list[Path]:
    """Where libomni_c is looked for, in order: $OMNI_C_LIB, the installed package
    (any sys.path entry, which covers editable installs), then the build trees."""
    out: list[Path] = []
    if os.environ.get("OMNI_C_LIB"):
        out.append(Path(os.environ["OMNI_C_LIB"]))
    out.append(_PKG_DIR / LIB_NAME)
    for entry in sys.path:
        if entry:
            out.append(Path(entry) / "omni_py" / LIB_NAME)
    for build in sorted(_REPO_DIR.glob("build*")):
        out.append(build / "capi" / LIB_NAME)
    return out


def load() -> tuple[cffi.FFI, object, str]:
    """(ffi, lib, path) of libomni_c, loaded once per process; checks the ABI version."""
    global _loaded, _event_names
    with _lock:
        if _loaded is not None:
            return _loaded
        ffi = cffi.FFI()
        ffi.cdef(cdef_source(header_path().read_text(encoding="utf-8")))
        tried = []
        for path in candidate_paths():
            if path.is_file():
                lib = ffi.dlopen(str(path))
                break
            tried.append(str(path))
        else:
            raise OmniError(
                "libomni_c not found. Install the package (pip install .), build it "
                "(cmake -B build && cmake --build build) or set OMNI_C_LIB. Looked in: "
                + ", ".join(tried[:6]),
            )
        version = lib.omni_abi_version()
        if version >> 16 != ABI_MAJOR or version & 0xFFFF < ABI_MINOR_MIN:
            raise OmniError(
                f"{path} has C ABI {version >> 16}.{version & 0xFFFF}, but this omni_py "
                f"needs ABI {ABI_MAJOR}.{ABI_MINOR_MIN} or a later {ABI_MAJOR}.x; rebuild or reinstall so both match",
            )
        errors.bind(lib)
        _event_names = EventNames(ffi, lib)
        _loaded = (ffi, lib, str(path))
        return _loaded


def event_names() -> EventNames:
    """The library's name of each omni_event_type value ("text", "audio", ...)."""
    load()
    assert _event_names is not None
    return _event_names


def status_name(status: int) -> str:
    ffi, lib, _ = load()
    return ffi.string(lib.omni_status_name(status)).decode()
