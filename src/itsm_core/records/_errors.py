"""Errors specific to records: an access refused, a sealed stream that does not verify."""

from __future__ import annotations

from itsm_core.errors import DomainError, ValidationError


class AccessDenied(DomainError):
    """The access policy does not let ``actor`` do ``action`` on ``resource``; nothing happened.

    ``reason`` says which rules were considered and why none applies.

    >>> print(AccessDenied("bob", "read", "INC1", "no rule grants 'read' to role 'customer'"))
    'bob' may not 'read' ticket 'INC1': no rule grants 'read' to role 'customer'
    """

    def __init__(self, actor: str, action: str, resource: str, reason: str) -> None:
        self.actor = actor
        self.action = action
        self.resource = resource
        self.reason = reason
        super().__init__(f"{actor!r} may not {action!r} ticket {resource!r}: {reason}")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.actor, self.action, self.resource, self.reason))


class SealBroken(ValidationError):
    """A sealed event stream does not verify: an event was altered, removed, inserted or moved."""

    _kind = "sealed stream for"
