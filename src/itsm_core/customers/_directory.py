"""The customers a desk serves, checked against its vocabularies, and what tickets take from
them: who a ticket's requester is, how to open one, where VIP tickets go."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from itsm_core._plain import as_list, is_a, is_text, shown
from itsm_core.customers._customer import Customer, read_customer
from itsm_core.customers._segments import DEFAULT_SEGMENTS, SegmentVocabulary
from itsm_core.errors import DeserializationError, Problem, ValidationError
from itsm_core.priority import DEFAULT_TIERS, TierVocabulary
from itsm_core.tickets import OpenTicket, TicketKind


def _customers(value: Any) -> Any:
    """Customers as a tuple; anything but an iterable of them kept as given, to be refused."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        return value
    return tuple(value)


@attrs.frozen
class CustomerDirectory:
    """Every customer of a desk, with the tier and segment vocabularies they are checked
    against.

    A customer's tier is read through ``tiers`` (an alias is kept as its tier name, as tickets
    record it); a tier or segment outside its vocabulary is refused, and so is an id used twice
    (customer and contact ids are one name space: a ticket's ``requester`` is either).

    >>> directory = CustomerDirectory([Customer(id="acme", name="ACME", tier="standard")])
    >>> directory["acme"].tier
    'regular'
    >>> CustomerDirectory([Customer(id="acme", name="ACME", tier="gold", segment="top")])
    Traceback (most recent call last):
    ...
    itsm_core.errors.ValidationError: invalid value for customers: 2 problems
      - [0].tier: unknown customer tier 'gold' (known: regular, vip, enterprise, standard)
      - [0].segment: unknown value segment 'top' (known: high, mid, low)
    """

    customers: tuple[Customer, ...] = attrs.field(converter=_customers)
    tiers: TierVocabulary = DEFAULT_TIERS
    segments: SegmentVocabulary = DEFAULT_SEGMENTS
    _by_party: Mapping[str, Customer] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        for name, value, kind in (
            ("tiers", self.tiers, TierVocabulary),
            ("segments", self.segments, SegmentVocabulary),
        ):
            if not is_a(value, kind):
                problems.append(Problem(name, f"expected a {kind.__name__}, got {shown(value)}"))
        if not is_a(self.customers, tuple):
            problems.append(
                Problem("", f"expected a list of customers, got {shown(self.customers)}")
            )
        if problems:
            raise ValidationError("customers", problems)
        checked = [self._checked(i, c, problems) for i, c in enumerate(self.customers)]
        by_party: dict[str, Customer] = {}
        for i, customer in enumerate(checked):
            if customer is None:
                continue
            parties = [(f"[{i}].id", customer.id)]
            parties.extend(
                (f"[{i}].contacts[{j}].id", c.id) for j, c in enumerate(customer.contacts)
            )
            for path, party in parties:
                if party in by_party:
                    problems.append(Problem(path, f"{party!r} is already {by_party[party].id!r}'s"))
                else:
                    by_party[party] = customer
        problems.extend(_vip_problems(checked))
        if problems:
            raise ValidationError("customers", problems)
        object.__setattr__(self, "customers", tuple(checked))
        object.__setattr__(self, "_by_party", by_party)

    def _checked(self, index: int, customer: object, problems: list[Problem]) -> Customer | None:
        if not isinstance(customer, Customer):
            problems.append(Problem(f"[{index}]", f"expected a Customer, got {shown(customer)}"))
            return None
        tier = self.tiers.problem(customer.tier, f"[{index}].tier")
        segment = None
        if customer.segment is not None:
            segment = self.segments.problem(customer.segment, f"[{index}].segment")
        found = [p for p in (tier, segment) if p is not None]
        if found:
            problems.extend(found)
            return None
        name = self.tiers.canonical(customer.tier)
        return customer if name == customer.tier else attrs.evolve(customer, tier=name)

    def __iter__(self) -> Iterator[Customer]:
        return iter(self.customers)

    def __len__(self) -> int:
        return len(self.customers)

    def __getitem__(self, customer_id: str) -> Customer:
        found = self._by_party.get(customer_id)
        if found is None or found.id != customer_id:
            raise KeyError(customer_id)
        return found

    def customer_of(self, requester: str) -> Customer | None:
        """The customer a ticket's ``requester`` is (its id) or works for (a contact's id)."""
        return self._by_party.get(requester)

    def opening(
        self,
        requester: str,
        *,
        ticket_id: str,
        kind: TicketKind,
        **fields: Any,
    ) -> OpenTicket:
        """The command that opens a ticket for ``requester`` (a customer's or a contact's id),
        carrying the customer's tier, the contact's preferred channel and the customer's
        language (attribute ``language``, which routing matches agents' languages on, as
        written: tag agents the same way); ``fields`` are the
        other fields of :class:`~itsm_core.tickets.OpenTicket` and win over these.
        :class:`~itsm_core.errors.ValidationError` for a requester the directory does not know.
        """
        customer = self.customer_of(requester)
        if customer is None:
            raise ValidationError(
                "opening", [Problem("requester", f"no customer or contact {requester!r}")]
            )
        contact = None if requester == customer.id else requester
        attributes = {"language": customer.language, **fields.pop("attributes", {})}
        defaults: dict[str, Any] = {
            "customer_tier": customer.tier,
            "channel": customer.preferred_channel(contact),
        }
        return OpenTicket(
            ticket_id=ticket_id,
            kind=kind,
            requester=requester,
            attributes=attributes,
            **{**defaults, **fields},
        )

    def vip_routing_rules(self) -> list[dict[str, object]]:
        """Routing rules, as plain data for ``itsm_core.routing.RoutingRules.from_dict``, that
        send the tickets of customers with a VIP dedicated channel to its group: one rule per
        channel, matching the tiers of its customers, asking for a senior agent. Put them first
        in the desk's rules.

        >>> (rule,) = CustomerDirectory([Customer(id="acme", name="ACME", tier="vip",
        ...     vip_channel="vip-desk")]).vip_routing_rules()
        >>> rule["group"], rule["customer_tiers"], rule["senior"]
        ('vip-desk', ['vip'], True)
        """
        groups: dict[str, set[str]] = {}
        for customer in self.customers:
            if customer.vip_channel is not None:
                groups.setdefault(customer.vip_channel, set()).add(customer.tier)
        return [
            {
                "name": f"vip-channel {group}",
                "group": group,
                "customer_tiers": sorted(tiers),
                "senior": True,
            }
            for group, tiers in sorted(groups.items())
        ]

    def to_dict(self) -> list[dict[str, object]]:
        """The customers as plain, JSON-safe data (the vocabularies are the desk's)."""
        return [customer.to_dict() for customer in self.customers]

    @classmethod
    def from_dict(
        cls,
        data: object,
        *,
        tiers: TierVocabulary = DEFAULT_TIERS,
        segments: SegmentVocabulary = DEFAULT_SEGMENTS,
    ) -> CustomerDirectory:
        """A directory from a list of customers as plain data;
        :class:`~itsm_core.errors.DeserializationError` lists every problem with its path
        (``[3].contacts[0].email``, ``[5].tier``).

        >>> CustomerDirectory.from_dict([  # doctest: +ELLIPSIS
        ...     {"id": "acme", "name": "ACME", "tier": "gold",
        ...      "contacts": [{"id": "li", "name": "Li"}]},
        ...     {"name": "Globex", "colour": 1}])
        Traceback (most recent call last):
        ...
        itsm_core.errors.DeserializationError: invalid data for customers: 4 problems
          - [0].contacts[0].phone: a contact needs a phone number or an e-mail address
          - [0].tier: unknown customer tier 'gold' (known: regular, vip, enterprise, standard)
          - [1].id: missing
          - [1].colour: unknown key (expected one of calendar, contacts, id, ...)
        """
        problems: list[Problem] = []
        items = as_list(data, "", problems) or []
        customers = []
        for i, item in enumerate(items):
            customers.append(read_customer(item, f"[{i}]", problems))
            problems.extend(_vocabulary_problems(item, i, tiers, segments))
        if not problems:
            try:
                return cls([c for c in customers if c is not None], tiers, segments)
            except ValidationError as error:
                problems.extend(error.problems)
        raise DeserializationError("customers", problems)


def _vocabulary_problems(
    data: object, index: int, tiers: TierVocabulary, segments: SegmentVocabulary
) -> list[Problem]:
    """The problems of a customer's tier and segment as given in plain data (checked even
    when other fields fail; a value that is not text is the customer's own problem)."""
    if not isinstance(data, Mapping):
        return []
    tier, segment = data.get("tier", "regular"), data.get("segment")
    found = [tiers.problem(tier, f"[{index}].tier")] if is_text(tier) else []
    if is_text(segment):
        found.append(segments.problem(segment, f"[{index}].segment"))
    return [p for p in found if p is not None]


def _vip_problems(customers: list[Customer | None]) -> list[Problem]:
    """Routing sends tickets by tier: a tier whose customers differ in VIP channel (one has
    none, or another) cannot be routed to it."""
    channels: dict[str, tuple[int, str | None]] = {}
    problems: list[Problem] = []
    for i, customer in enumerate(customers):
        if customer is None:
            continue
        first = channels.setdefault(customer.tier, (i, customer.vip_channel))
        if first[1] != customer.vip_channel:
            problems.append(
                Problem(
                    f"[{i}].vip_channel",
                    f"{shown(customer.vip_channel)} differs from [{first[0]}] of the same tier "
                    f"{customer.tier!r} ({shown(first[1])}): tickets are routed by tier",
                )
            )
    return problems
