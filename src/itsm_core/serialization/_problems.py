"""cattrs' exception groups (with their notes) turned into our flat list of Problems."""

from __future__ import annotations

from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)

from itsm_core._plain import key_text
from itsm_core.errors import Problem


def join(path: str, part: object) -> str:
    """``path`` extended by a field name (``a.b``) or an index (``a[0]``); a key that is not
    a string (data may hold any) is shown by its repr, in brackets.

    >>> join("", "ticket"), join("ticket", "id"), join("comments", "[2]"), join("data", 7)
    ('ticket', 'ticket.id', 'comments[2]', 'data[7]')
    """
    if not isinstance(part, str):
        part = f"[{key_text(part)}]"
    if not path:
        return part
    return f"{path}{part}" if part.startswith("[") else f"{path}.{part}"


def problems_from(exc: BaseException, path: str = "") -> list[Problem]:
    """Every problem inside ``exc``, each with the path where it was found.

    Walks cattrs' ``ClassValidationError`` / ``IterableValidationError`` groups (whose notes
    name the field or index), expands our own errors that already carry ``problems`` under the
    current path, and reports any other exception as one problem with its message.
    """
    if isinstance(exc, ClassValidationError | IterableValidationError):
        found: list[Problem] = []
        with_notes, without = exc.group_exceptions()
        for inner, note in with_notes:
            name = getattr(note, "name", None)
            part = str(name) if name is not None else f"[{getattr(note, 'index', '?')!r}]"
            found.extend(problems_from(inner, join(path, part)))
        for inner in without:
            found.extend(problems_from(inner, path))
        return found
    if isinstance(exc, ForbiddenExtraKeysError):
        keys: list[object] = sorted(exc.extra_fields, key=key_text)  # data may hold any key
        return [
            Problem(join(path, key), "unknown key" if isinstance(key, str) else "key not a string")
            for key in keys
        ]
    if isinstance(exc, KeyError):
        return [Problem(path, "missing")]
    problems = getattr(exc, "problems", None)
    if isinstance(problems, tuple) and all(isinstance(p, Problem) for p in problems):
        return [Problem(join(path, p.path) if p.path else path, p.message) for p in problems]
    return [Problem(path, str(exc) or type(exc).__name__)]
