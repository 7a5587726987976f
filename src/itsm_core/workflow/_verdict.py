"""The answer to "may this event happen now?": allowed, or every reason why not."""

from __future__ import annotations

import attrs


@attrs.frozen(kw_only=True)
class Verdict:
    """Outcome of :meth:`Workflow.check`.

    ``invalid_input`` lists what is wrong with the supplied fields (missing, not one of the
    choices); ``refusals`` lists why the rules say no now (no such transition, role, guards).
    The event is allowed when both are empty.

    >>> Verdict(event="resolve", target="resolved").allowed
    True
    >>> v = Verdict(event="resolve", refusals=("role 'customer' may not resolve",))
    >>> v.allowed, v.reasons
    (False, ("role 'customer' may not resolve",))
    """

    event: str
    target: str | None = None
    invalid_input: tuple[str, ...] = ()
    refusals: tuple[str, ...] = ()

    @property
    def allowed(self) -> bool:
        """True when nothing refuses the event and its input is complete."""
        return not self.invalid_input and not self.refusals

    @property
    def reasons(self) -> tuple[str, ...]:
        """Every reason, refusals first, then input problems."""
        return self.refusals + self.invalid_input
