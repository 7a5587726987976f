"""The desk's values refuse junk with a ValidationError naming the field, never anything else."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from itsm_core.desk import InMemoryProjectionStore, ProjectionRow, RowQuery, Worklist
from itsm_core.errors import ItsmError

JUNK = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=5)
    | st.binary(max_size=3)
    | st.datetimes()
    | st.datetimes(timezones=st.just(dt.UTC)),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=3), inner, max_size=2)
        | st.frozensets(st.text(max_size=3), max_size=2)
    ),
    max_leaves=6,
)


def refused_or_built(build: Any, *args: Any, **kwargs: Any) -> None:
    """``build`` succeeds, or raises an ItsmError; nothing else escapes."""
    with contextlib.suppress(ItsmError):
        build(*args, **kwargs)


@given(key=JUNK, data=JUNK, terms=JUNK, instants=JUNK)
def test_rows_from_junk(key: Any, data: Any, terms: Any, instants: Any) -> None:
    refused_or_built(ProjectionRow, key, data, terms, instants)


@given(terms=JUNK, slot=JUNK, start=JUNK, end=JUNK, limit=JUNK)
def test_queries_from_junk(terms: Any, slot: Any, start: Any, end: Any, limit: Any) -> None:
    refused_or_built(RowQuery, terms, slot, start, end, limit)


@given(
    fields=st.dictionaries(
        st.sampled_from(
            [
                "status",
                "active",
                "state",
                "kind",
                "group",
                "assignee",
                "unassigned",
                "customer",
                "tier",
                "category",
                "priority",
                "complaint_type",
                "level",
                "due_before",
                "breached_at",
            ]
        ),
        JUNK,
        max_size=4,
    )
)
def test_worklists_from_junk(fields: dict[str, Any]) -> None:
    refused_or_built(Worklist, **fields)


@given(name=JUNK, after=JUNK, position=JUNK, upserts=JUNK, deletes=JUNK, keys=JUNK)
def test_store_calls_with_junk(
    name: Any, after: Any, position: Any, upserts: Any, deletes: Any, keys: Any
) -> None:
    store = InMemoryProjectionStore()
    if isinstance(upserts, list | tuple) and isinstance(deletes, list | tuple | set | frozenset):
        refused_or_built(
            store.commit, name, after=after, position=position, upserts=upserts, deletes=deletes
        )
    if isinstance(keys, list | tuple):
        refused_or_built(store.rows, name, keys)
    refused_or_built(store.position, name)
    refused_or_built(store.select, name, keys)
