"""Customer tiers: the one vocabulary of tier names, and how many levels each tier raises.

:class:`TierVocabulary` is the home of the tier names: ticket commands, priority policies,
response gradings, SLA policy sets and routing rules all take one (:data:`DEFAULT_TIERS` unless
told otherwise) and refuse a tier outside it with :class:`~itsm_core.errors.UnknownTier`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from itsm_core._checks import frozen_mapping, is_int
from itsm_core._plain import (
    as_mapping,
    check_keys,
    is_text,
    join,
    key_text,
    shown,
    tuple_or_given,
)
from itsm_core.errors import InvalidPriorityMatrix, Problem, UnknownTier
from itsm_core.priority._explanation import ExplanationStep, StepKind
from itsm_core.priority._scale import PriorityScale


def _text(value: object) -> str:
    return value if isinstance(value, str) else shown(value)


def _aliases(value: Mapping[str, str]) -> Mapping[str, str]:
    found: object = value
    return frozen_mapping(value) if isinstance(found, Mapping) else value


def _vocabulary_problems(names: object, aliases: object) -> list[Problem]:
    problems: list[Problem] = []
    if not isinstance(names, tuple) or not names:
        problems.append(Problem("names", f"expected a non-empty list of names, got {shown(names)}"))
        names = ()
    seen: set[str] = set()
    for i, name in enumerate(names):
        if not is_text(name) or name != name.strip():
            problems.append(Problem(f"names[{i}]", f"expected a tier name, got {shown(name)}"))
            continue
        if name in seen:
            problems.append(Problem(f"names[{i}]", f"{shown(name)} is listed twice"))
        seen.add(name)
    if not isinstance(aliases, Mapping):
        problems.append(Problem("aliases", f"expected a mapping, got {shown(aliases)}"))
        return problems
    for alias, name in aliases.items():
        where = join("aliases", key_text(alias))
        if not is_text(alias) or alias != alias.strip():
            problems.append(Problem(where, f"expected a name, got {shown(alias)}"))
        elif alias in seen:
            problems.append(
                Problem(where, f"{shown(alias)} is a tier name, not another name for one")
            )
        if not is_text(name) or name not in seen:
            problems.append(Problem(where, f"{shown(name)} is not one of the tier names"))
    return problems


@attrs.frozen
class TierVocabulary:
    """The customer tiers a desk knows: their names, in order, and other names they go by.

    Pass one value to everything that takes a tier: the ticket commands' context
    (``CommandContext(tier_vocabulary=...)``), :class:`PriorityPolicy`,
    :class:`ResponseGrading`, the SLA ``PolicySet`` and the ``RoutingRules``. Each refuses a
    tier outside it with :class:`~itsm_core.errors.UnknownTier`, which lists the known tiers.
    ``aliases`` maps other spellings to a name (``standard`` is ``regular`` in
    :data:`DEFAULT_TIERS`): an alias is read as its name, so data written with it still loads,
    and what is recorded or reported is always the name. ``names`` keep their order (lists,
    reports); the order says nothing of rank (how much a tier raises priority is the policy's).

    >>> DEFAULT_TIERS.names
    ('regular', 'vip', 'enterprise')
    >>> DEFAULT_TIERS.canonical("standard"), "gold" in DEFAULT_TIERS
    ('regular', False)
    >>> DEFAULT_TIERS.canonical("gold")
    Traceback (most recent call last):
    ...
    itsm_core.errors.UnknownTier: invalid value for customer tier: 1 problem
      - tier: unknown customer tier 'gold' (known: regular, vip, enterprise, standard)
    """

    names: tuple[str, ...] = attrs.field(converter=tuple_or_given)
    aliases: Mapping[str, str] = attrs.field(factory=dict, converter=_aliases)

    def __attrs_post_init__(self) -> None:
        problems = _vocabulary_problems(self.names, self.aliases)
        if problems:
            raise InvalidPriorityMatrix("customer-tier vocabulary", problems)

    def __contains__(self, tier: object) -> bool:
        return tier in self.names or tier in self.aliases

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    @property
    def known(self) -> tuple[str, ...]:
        """Every name it accepts: the tier names in order, then the aliases."""
        return (*self.names, *self.aliases)

    def find(self, tier: object) -> str | None:
        """The tier name ``tier`` stands for (itself, or the name an alias stands for), or
        None when it is not in the vocabulary."""
        if not isinstance(tier, str):
            return None
        if tier in self.names:
            return str(tier)  # a StrEnum member (CustomerTier.VIP) becomes its plain name
        return self.aliases.get(tier)

    def canonical(
        self, tier: object, *, path: str = "tier", subject: str = "", others: Iterable[Problem] = ()
    ) -> str:
        """The tier name ``tier`` stands for; :class:`~itsm_core.errors.UnknownTier` (naming
        ``path``, listing the known tiers, after ``others`` found in the same input) when the
        vocabulary does not have it."""
        found = self.find(tier)
        if found is None:
            raise UnknownTier(_text(tier), self.known, path=path, subject=subject, others=others)
        return found

    def problem(self, tier: object, path: str) -> Problem | None:
        """The problem of ``tier`` at ``path`` (unknown, listing the known tiers), or None."""
        if self.find(tier) is not None:
            return None
        return UnknownTier.problem(_text(tier), self.known, path)

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-safe data; :meth:`from_dict` reads it back."""
        return {"names": list(self.names), "aliases": dict(self.aliases)}

    @classmethod
    def from_dict(cls, data: object, path: str = "") -> TierVocabulary:
        """A vocabulary from plain data; :class:`~itsm_core.errors.InvalidPriorityMatrix`
        lists every problem with its path."""
        problems: list[Problem] = []
        mapping = as_mapping(data, path, problems)
        if mapping is not None:
            check_keys(mapping, path, ("names",), ("aliases",), problems)
            names = tuple_or_given(mapping.get("names", ()))
            aliases = mapping.get("aliases", {})
            problems.extend(
                Problem(join(path, p.path), p.message)
                for p in _vocabulary_problems(names, aliases)
                if "names" in mapping or not p.path.startswith("names")
            )
        if problems or mapping is None:
            raise InvalidPriorityMatrix("customer-tier vocabulary", problems)
        return cls(names, aliases)  # type: ignore[arg-type]  # checked above


DEFAULT_TIERS = TierVocabulary(
    names=("regular", "vip", "enterprise"), aliases={"standard": "regular"}
)
"""The tiers of ``tickets.CustomerTier`` (regular, vip, enterprise), with ``standard`` read as
``regular`` (the name the priority catalogue used before there was one vocabulary)."""


def read_vocabulary(
    data: Mapping[str, object], key: str, problems: list[Problem]
) -> TierVocabulary | None:
    """The vocabulary under ``key`` of ``data`` (:data:`DEFAULT_TIERS` when absent); None, and
    its problems recorded under ``key``, when it is invalid."""
    if key not in data:
        return DEFAULT_TIERS
    try:
        return TierVocabulary.from_dict(data[key], key)
    except InvalidPriorityMatrix as error:
        problems.extend(error.problems)
        return None


def vocabulary_data(vocabulary: TierVocabulary, key: str) -> dict[str, object]:
    """``{key: vocabulary data}``, or nothing for :data:`DEFAULT_TIERS` (data stays short)."""
    return {} if vocabulary == DEFAULT_TIERS else {key: vocabulary.to_dict()}


def vocabulary_problem(value: object, path: str) -> Problem | None:
    """A problem when ``value`` is not a :class:`TierVocabulary`."""
    if isinstance(value, TierVocabulary):
        return None
    return Problem(path, f"expected a TierVocabulary, got {shown(value)}")


def as_tiers(value: Mapping[str, int]) -> Mapping[str, int]:
    """A read-only copy of a tier mapping (anything else is left for validation to refuse)."""
    found: object = value
    return frozen_mapping(value) if isinstance(found, Mapping) else value


def tier_problems(
    tiers: object, vocabulary: TierVocabulary = DEFAULT_TIERS, path: str = "tiers"
) -> list[Problem]:
    """Every problem of a tier mapping: raises integers >= 0, keys tiers of ``vocabulary``,
    no tier given twice (under its name and an alias)."""
    problems: list[Problem] = []
    mapping = as_mapping(tiers, path, problems)
    named: dict[str, str] = {}
    for name, steps in (mapping or {}).items():
        known = vocabulary.problem(name, join(path, repr(name) if not name.strip() else name))
        if known is not None:
            problems.append(known)
        canonical = vocabulary.find(name)
        if canonical is not None:
            if canonical in named:
                problems.append(
                    Problem(
                        join(path, name),
                        f"{shown(name)} and {shown(named[canonical])} are the same tier "
                        f"({shown(canonical)})",
                    )
                )
            named[canonical] = name
        if not (is_int(steps) and steps >= 0):
            problems.append(
                Problem(
                    join(path, name), f"expected a raise of 0 or more levels, got {shown(steps)}"
                )
            )
    return problems


def canonical_tiers(tiers: Mapping[str, int], vocabulary: TierVocabulary) -> Mapping[str, int]:
    """``tiers`` keyed by tier names (aliases replaced), in the vocabulary's order; call it on
    a mapping :func:`tier_problems` found nothing wrong with."""
    by_name = {vocabulary.canonical(name): steps for name, steps in tiers.items()}
    return frozen_mapping({name: by_name[name] for name in vocabulary.names if name in by_name})


def apply_tier(
    tiers: Mapping[str, int], tier: str, value: int, scale: PriorityScale
) -> tuple[int, ExplanationStep]:
    """Raise ``value`` by the tier's levels (0 for a tier not listed), never above level 1,
    and explain it.

    ``tier`` must be a tier name of the caller's vocabulary: callers check it first.
    """
    steps = tiers.get(tier, 0)
    raised = max(1, value - steps)
    capped = " (capped at level 1)" if value - steps < 1 else ""
    noun = "level" if steps == 1 else "levels"
    step = ExplanationStep(
        kind=StepKind.TIER,
        source=f"tier {tier!r}",
        target=scale.name,
        value=raised,
        label=scale.label(raised),
        reason=f"raises by {steps} {noun} from {scale.describe(value)}{capped}",
    )
    return raised, step
