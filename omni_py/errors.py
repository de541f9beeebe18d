"""Exception classes, one per omni_status of the C ABI.

Each class names its status (`name`, e.g. "OMNI_ERR_STATE"); the number comes from the
header through cffi when the library is loaded (bind()), never from a copy here.
"""
from __future__ import annotations


class OmniError(Exception):
    """Base class; `name` is the OMNI_ERR_* name of the C status, `status` its number."""

    name = "OMNI_ERR_INTERNAL"
    status = 0  # set by bind() from the header; 0 before the library is loaded

    def __init__(self, message: str = "", status: int | None = None):
        super().__init__(message)
        if status is not None:
            self.status = status
        self.message = message


class InvalidArgument(OmniError, ValueError):
    name = "OMNI_ERR_INVALID_ARGUMENT"


class StateError(OmniError):
    name = "OMNI_ERR_STATE"


class Busy(OmniError):
    name = "OMNI_ERR_BUSY"


class Unsupported(OmniError):
    name = "OMNI_ERR_UNSUPPORTED"


class BadMedia(OmniError, ValueError):
    name = "OMNI_ERR_BAD_MEDIA"


class ModelError(OmniError):
    name = "OMNI_ERR_MODEL"


class Timeout(OmniError, TimeoutError):
    name = "OMNI_ERR_TIMEOUT"


class InternalError(OmniError):
    name = "OMNI_ERR_INTERNAL"


class TooLarge(OmniError, ValueError):
    name = "OMNI_ERR_TOO_LARGE"


class Closed(OmniError):
    """omni_next_event was released by omni_destroy (the pull API; omni_py uses the callback)."""

    name = "OMNI_ERR_CLOSED"


BY_NAME = {cls.name: cls for cls in (InvalidArgument, StateError, Busy, Unsupported, BadMedia, ModelError, Timeout,
                                     InternalError, TooLarge, Closed)}


def bind(lib) -> None:
    """Give every class its status number from the header's omni_status enum (cffi's lib)."""
    for cls in (OmniError, *BY_NAME.values()):
        cls.status = getattr(lib, cls.name)


def error_for(status: int, status_name: str, message: str) -> OmniError:
    """The exception for a C status; a status this binding has no class for gets OmniError."""
    return BY_NAME.get(status_name, OmniError)(message, status)
