"""A redacted view of a ticket for one actor: what the access policy lets them read."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from itsm_core._checks import frozen_mapping, frozen_set
from itsm_core.errors import AccessDenied
from itsm_core.records._access import READ, READ_CONFIDENTIAL, AccessPolicy
from itsm_core.records._actor import Actor
from itsm_core.records._export import mask_fields
from itsm_core.records._masking import MaskingPolicy
from itsm_core.records._ticket_data import ticket_data
from itsm_core.tickets import Ticket


@attrs.frozen(kw_only=True)
class TicketView:
    """The fields of ticket ``ticket_id`` that ``actor`` may read, as JSON-safe data.

    ``hidden`` names the confidential fields left out; ``fields`` never contains them.
    """

    ticket_id: str
    actor: str
    fields: Mapping[str, Any] = attrs.field(converter=frozen_mapping)
    hidden: frozenset[str] = attrs.field(default=frozenset(), converter=frozen_set)

    def __getitem__(self, name: str) -> Any:
        return self.fields[name]


def redacted_view(
    policy: AccessPolicy,
    actor: Actor,
    ticket: Ticket,
    masking: MaskingPolicy | None = None,
) -> TicketView:
    """The view of ``ticket`` for ``actor``: refused unless they may ``read`` it; without
    ``read_confidential``, the policy's confidential fields are left out. With ``masking``,
    personal data is masked in the fields shown (identifiers and workflow fields excepted),
    the same way :func:`~itsm_core.records.export_ticket` and
    :func:`~itsm_core.records.export_event` mask it.

    Raises:
        AccessDenied: when the actor may not read the ticket (with the reason).
    """
    decision = policy.can(actor, READ, ticket)
    if not decision.allowed:
        raise AccessDenied(actor.id, READ, ticket.id, decision.reason)
    hidden = (
        frozenset()
        if policy.can(actor, READ_CONFIDENTIAL, ticket).allowed
        else policy.confidential_fields
    )
    data = {name: value for name, value in ticket_data(ticket).items() if name not in hidden}
    if masking is not None:
        data = mask_fields(data, masking)
    return TicketView(ticket_id=ticket.id, actor=actor.id, fields=data, hidden=hidden)
