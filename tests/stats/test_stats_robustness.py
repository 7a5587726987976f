"""Bad input to the statistics is a ValidationError naming where, never another exception."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsm_core.errors import ValidationError
from itsm_core.stats import (
    difference_of_means,
    difference_of_proportions,
    mean_estimate,
    proportion,
    proportion_interval,
    welch_from_summaries,
)

HUGE = 10**5000  # more digits than Python will print (ValueError from str())
BIG = 10**400  # more than a float holds (OverflowError from float())
T = TypeVar("T")


@pytest.mark.parametrize(
    ("call", "path", "fragment"),
    [
        (lambda: proportion(1, BIG), "n", "at most 2**53, got an integer of about 401 digits"),
        (
            lambda: proportion(-HUGE, 3),
            "successes",
            "must be >= 0, got an integer of about 5001 digits",
        ),
        (lambda: proportion(1, 2**53 + 1), "n", "at most 2**53"),
        (lambda: difference_of_proportions(1, BIG, 1, 2), "n_first", "at most 2**53"),
        (lambda: proportion(1, 3, confidence=HUGE), "confidence", "integer of about 5001 digits"),
        (lambda: proportion_interval(1, 3, method=[HUGE]), "method", "list is not one of"),  # type: ignore[arg-type]
        (lambda: mean_estimate([BIG]), "values[0]", "too large: an integer of about 401 digits"),
        (lambda: mean_estimate([[HUGE]]), "values[0]", "not a number: list"),  # type: ignore[list-item]
        (lambda: mean_estimate([1e308, 1.5e308]), "values", "overflows a float"),
        (lambda: mean_estimate([1e308, -1e308, 1e308]), "values", "overflows a float"),
        (lambda: mean_estimate([1, 2], bounds=(HUGE, 0)), "bounds", "tuple"),
        (lambda: mean_estimate([1, 2], bounds=(0, float("inf"))), "bounds", "finite numbers"),
        (lambda: difference_of_means([1e308, -1e308], [1, 2]), "first", "overflows a float"),
        (lambda: welch_from_summaries((BIG, 1.0, 1.0), (5, 1.0, 1.0)), "first.n", "2**53"),
        (lambda: welch_from_summaries((5.5, 1.0, 1.0), (5, 1.0, 1.0)), "first.n", "integer"),  # type: ignore[arg-type]
        (lambda: welch_from_summaries((5, "a", 1.0), (5, 1.0, 1.0)), "first.mean", "'a' is not"),  # type: ignore[arg-type]
        (lambda: welch_from_summaries((5, 1.0, 1.0), (5, 1.0, HUGE)), "second.sd", "5001 digits"),
        (lambda: welch_from_summaries((5, 1.0), (5, 1.0, 1.0)), "first", "(n, mean, sd)"),  # type: ignore[arg-type]
        (
            lambda: welch_from_summaries((5, 1e308, 1.0), (5, -1e308, 1.0)),
            "first, second",
            "overflows a float",
        ),
    ],
)
def test_bad_input_is_a_validation_error_naming_where(
    call: Callable[[], object], path: str, fragment: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        call()
    assert [p.path for p in raised.value.problems] == [path]
    assert fragment in raised.value.problems[0].message


finite = st.floats(allow_nan=False, allow_infinity=False)


def attempt(call: Callable[[], T]) -> T | ValidationError:
    """The result of ``call()``, or the ValidationError it raised (anything else escapes)."""
    try:
        return call()
    except ValidationError as error:
        return error


@given(st.lists(finite, min_size=1, max_size=8), st.lists(finite, min_size=2, max_size=8))
def test_any_finite_values_give_a_result_or_a_validation_error(
    first: list[float], second: list[float]
) -> None:
    estimate = attempt(lambda: mean_estimate(first))
    if isinstance(estimate, ValidationError):
        assert estimate.problems[0].path == "values"
    else:
        assert estimate.n == len(first)
    if len(first) < 2:
        return
    difference = attempt(lambda: difference_of_means(first, second))
    if isinstance(difference, ValidationError):
        assert difference.problems[0].path in {"first", "second", "first, second"}
    else:
        assert (difference.n_first, difference.n_second) == (len(first), len(second))


@given(st.integers(2, 2**53), finite, finite, st.integers(2, 2**53), finite, finite)
def test_any_summaries_give_a_result_or_a_validation_error(
    n1: int, mean1: float, sd1: float, n2: int, mean2: float, sd2: float
) -> None:
    difference = attempt(lambda: welch_from_summaries((n1, mean1, abs(sd1)), (n2, mean2, abs(sd2))))
    if isinstance(difference, ValidationError):
        assert difference.problems[0].path == "first, second"
    else:
        assert difference.p_value is None or 0.0 <= difference.p_value <= 1.0
