"""Application errors: a stable code, a message in the user's language, the field at fault."""

from django.utils.functional import Promise


class AppError(Exception):
    """Raised by services; the API and the web views turn it into a response."""

    status_code = 400

    def __init__(self, code: str, message: str | Promise, *, field: str | None = None, status: int | None = None):
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.field = field
        if status is not None:
            self.status_code = status

    def as_dict(self) -> dict:
        body = {"code": self.code, "message": str(self.message)}
        if self.field:
            body["field"] = self.field
        return body


class NotFound(AppError):
    status_code = 404


class Conflict(AppError):
    status_code = 409


class PermissionDenied(AppError):
    status_code = 403
