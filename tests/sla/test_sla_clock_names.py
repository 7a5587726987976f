"""Policy data may name a built-in clock instead of spelling its conditions out."""

from __future__ import annotations

import pytest

from itsm_core.errors import InvalidPolicy
from itsm_core.sla import FIRST_RESPONSE, RESOLUTION, ClockDefinition, PolicySet
from itsm_core.sla._definition import BUILTIN_CLOCKS


def _policy_set(clock: object) -> dict[str, object]:
    return {
        "policies": [
            {
                "name": "desk",
                "precedence": 10,
                "metrics": [{"clock": clock, "targets": {"*": "4 hours"}}],
            }
        ]
    }


@pytest.mark.parametrize("clock", BUILTIN_CLOCKS, ids=lambda c: c.name)
def test_a_builtin_clock_can_be_named(clock: ClockDefinition) -> None:
    name = clock.name
    named = PolicySet.from_dict(_policy_set(name))
    assert named.policies[0].metrics[0].clock == clock
    # The same as spelling it out, and it writes back spelled out.
    spelled = PolicySet.from_dict(named.to_dict())
    assert spelled == named


def test_builtin_clocks_are_the_documented_ones() -> None:
    assert [c.name for c in BUILTIN_CLOCKS] == [
        "first_response",
        "next_response",
        "resolution",
        "group_resolution",
    ]
    assert FIRST_RESPONSE in BUILTIN_CLOCKS
    assert RESOLUTION in BUILTIN_CLOCKS


def test_an_unknown_clock_name_is_reported_with_its_path() -> None:
    with pytest.raises(InvalidPolicy) as caught:
        PolicySet.from_dict(_policy_set("resolutoin"))
    [problem] = caught.value.problems
    assert problem.path == "policies[0].metrics[0].clock"
    assert "no built-in clock 'resolutoin'" in problem.message
    assert "resolution" in problem.message
