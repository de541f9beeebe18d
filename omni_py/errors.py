"""Exception classes, one per omni_status of the C ABI."""
from __future__ import annotations


class OmniError(Exception):
    """Base class; `status` is the C status code, `name` its OMNI_ERR_* name."""

    status = 8
    name = "OMNI_ERR_INTERNAL"

    def __init__(self, status: int | None = None, message: str = ""):
        super().__init__(message)
        if status:
            self.status = status
        self.message = message


class InvalidArgument(OmniError, ValueError):
    status, name = 1, "OMNI_ERR_INVALID_ARGUMENT"


class StateError(OmniError):
    status, name = 2, "OMNI_ERR_STATE"


class Busy(OmniError):
    status, name = 3, "OMNI_ERR_BUSY"


class Unsupported(OmniError):
    status, name = 4, "OMNI_ERR_UNSUPPORTED"


class BadMedia(OmniError, ValueError):
    status, name = 5, "OMNI_ERR_BAD_MEDIA"


class ModelError(OmniError):
    status, name = 6, "OMNI_ERR_MODEL"


class Timeout(OmniError, TimeoutError):
    status, name = 7, "OMNI_ERR_TIMEOUT"


class InternalError(OmniError):
    status, name = 8, "OMNI_ERR_INTERNAL"


class TooLarge(OmniError, ValueError):
    status, name = 9, "OMNI_ERR_TOO_LARGE"


class Closed(OmniError):
    """omni_next_event was released by omni_destroy (the pull API; omni_py uses the callback)."""

    status, name = 10, "OMNI_ERR_CLOSED"


BY_STATUS = {cls.status: cls for cls in (InvalidArgument, StateError, Busy, Unsupported, BadMedia, ModelError,
                                         Timeout, InternalError, TooLarge, Closed)}


def error_for(status: int, message: str) -> OmniError:
    return BY_STATUS.get(status, OmniError)(status, message)
