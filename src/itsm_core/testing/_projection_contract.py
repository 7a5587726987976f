"""The contract every projection store must pass: rows and checkpoint committed together,
queries that agree with a plain filter over the rows.

Subclass :class:`ProjectionStoreContract` in a test module whose class name starts with
``Test`` and implement :meth:`~ProjectionStoreContract.make_projection_store`; pytest collects
every inherited test.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itsm_core.desk import ProjectionRow, ProjectionStore, RowHit, RowQuery
from itsm_core.errors import ValidationError, VersionConflict

T0 = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
SHANGHAI = ZoneInfo("Asia/Shanghai")
_NAMES = itertools.count()
#: Rows in the test of a term on many rows (past the in-memory and SQLite "few rows" path).
MANY = 2_100


def expected_hits(rows: Mapping[str, ProjectionRow], query: RowQuery) -> list[RowHit]:
    """What ``select`` must return: the rows filtered one by one, in the query's order."""
    if query.empty_range:
        return []
    matching = [row for row in rows.values() if query.terms <= row.terms]
    if query.slot is None:
        hits = [RowHit(row) for row in sorted(matching, key=lambda row: row.key)]
    else:
        found = [(row.first(query.slot, query.start, query.end), row) for row in matching]
        hits = [
            RowHit(row, at)
            for at, row in sorted(
                ((at, row) for at, row in found if at is not None),
                key=lambda pair: (pair[0], pair[1].key),
            )
        ]
    return hits if query.limit is None else hits[: query.limit]


def _close(store: object) -> None:
    close = getattr(store, "close", None)
    if callable(close):
        close()


def _row(key: str, *terms: str, data: str = "{}", **instants: dt.datetime) -> ProjectionRow:
    return ProjectionRow(key, data, terms, list(instants.items()))


def _at(hours: float) -> dt.datetime:
    return T0 + dt.timedelta(hours=hours)


_KEYS = st.sampled_from([f"K{n}" for n in range(8)])
_TERMS = st.frozensets(st.sampled_from(["a", "b", "c", "group=x"]), max_size=3)
_INSTANTS = st.lists(
    st.tuples(
        st.sampled_from(["due", "wake"]),
        st.integers(-3, 12).map(lambda h: _at(h / 2).astimezone(SHANGHAI)),
    ),
    max_size=3,
)
_ROWS = st.builds(
    ProjectionRow,
    key=_KEYS,
    data=st.text(max_size=5).map(lambda text: f'{{"t": "{len(text)}"}}'),
    terms=_TERMS,
    instants=_INSTANTS,
)
_BOUNDS = st.none() | st.integers(-4, 13).map(lambda h: _at(h / 2))
_QUERIES = st.builds(
    RowQuery,
    terms=st.frozensets(st.sampled_from(["a", "b", "c", "group=x", "none"]), max_size=2),
    slot=st.none(),
    limit=st.none() | st.integers(1, 4),
) | st.builds(
    RowQuery,
    terms=st.frozensets(st.sampled_from(["a", "b", "c", "group=x", "none"]), max_size=2),
    slot=st.sampled_from(["due", "wake", "opened"]),
    start=_BOUNDS,
    end=_BOUNDS,
    limit=st.none() | st.integers(1, 4),
)


@st.composite
def _commits(draw: st.DrawFn) -> list[tuple[list[ProjectionRow], list[str]]]:
    """Batches of rows to write (unique keys) and keys to delete (not written in the batch)."""
    batches = []
    for _ in range(draw(st.integers(1, 4))):
        rows = draw(st.lists(_ROWS, max_size=5, unique_by=lambda row: row.key))
        deletes = set(draw(st.lists(_KEYS, max_size=2))) - {row.key for row in rows}
        batches.append((rows, sorted(deletes)))
    return batches


class ProjectionStoreContract:
    """The behaviour every :class:`~itsm_core.desk.ProjectionStore` must have.

    Implement :meth:`make_projection_store`; override :meth:`reopen_projection_store` when the
    store persists (to prove the data survives a new instance) and
    :meth:`close_projection_store` if closing needs more than calling ``close()``.
    """

    def make_projection_store(self, tmp_path: Path) -> ProjectionStore:
        """A new, empty store (``tmp_path`` is a fresh directory for files)."""
        raise NotImplementedError

    def reopen_projection_store(self, store: ProjectionStore, tmp_path: Path) -> ProjectionStore:
        """A second instance on the same storage as ``store`` (default: ``store`` itself)."""
        return store

    def close_projection_store(self, store: ProjectionStore) -> None:
        """Release ``store`` (default: call its ``close()`` if it has one)."""
        _close(store)

    @pytest.fixture
    def contract_projection_store(self, tmp_path: Path) -> Iterator[ProjectionStore]:
        store = self.make_projection_store(tmp_path)
        yield store
        self.close_projection_store(store)

    def test_a_new_read_model_is_empty_at_position_0(
        self, contract_projection_store: ProjectionStore
    ) -> None:
        store = contract_projection_store
        assert store.position("tickets") == 0
        assert store.rows("tickets", ["INC1"]) == {}
        assert store.select("tickets", RowQuery()) == ()
        assert store.count("tickets", RowQuery(slot="due")) == 0

    def test_committed_rows_read_back_equal_with_their_checkpoint(
        self, contract_projection_store: ProjectionStore
    ) -> None:
        store = contract_projection_store
        local = _at(1).astimezone(SHANGHAI)
        one = _row("INC1", "group=desk", "状态=处理中", data='{"标题": "打印机"}', due=local)
        two = _row("INC2", data='{"n": [1, 2.5, null]}', opened=_at(0), due=_at(3))
        store.commit("tickets", after=0, position=7, upserts=[one, two])
        assert store.position("tickets") == 7
        found = store.rows("tickets", ["INC1", "INC2", "INC3"])
        assert found == {"INC1": one, "INC2": two}
        assert found["INC1"].data == '{"标题": "打印机"}'  # the text unchanged
        assert found["INC1"].instants == (("due", local.astimezone(dt.UTC)),)
        assert repr(found["INC1"].instants) == repr(one.instants)  # in UTC, like the row's

    def test_a_stale_commit_raises_and_writes_nothing(
        self, contract_projection_store: ProjectionStore
    ) -> None:
        store = contract_projection_store
        store.commit("tickets", after=0, position=3, upserts=[_row("INC1", "a")])
        for after in (0, 2, 4):
            with pytest.raises(VersionConflict) as caught:
                store.commit(
                    "tickets", after=after, position=9, upserts=[_row("INC1", "b")], deletes=[]
                )
            assert (caught.value.expected, caught.value.actual) == (after, 3)
        with pytest.raises(VersionConflict):
            store.commit("tickets", after=0, position=9, deletes=["INC1"])
        assert store.position("tickets") == 3
        assert store.rows("tickets", ["INC1"]) == {"INC1": _row("INC1", "a")}
        assert store.count("tickets", RowQuery(terms={"b"})) == 0

    def test_a_commit_may_move_the_checkpoint_alone(
        self, contract_projection_store: ProjectionStore
    ) -> None:
        store = contract_projection_store
        store.commit("tickets", after=0, position=5)
        store.commit("tickets", after=5, position=5)
        assert store.position("tickets") == 5
        assert store.select("tickets", RowQuery()) == ()

    def test_an_upsert_replaces_the_row_and_its_index_entries(
        self, contract_projection_store: ProjectionStore
    ) -> None:
        store = contract_projection_store
        store.commit("t", after=0, position=1, upserts=[_row("INC1", "a", "b", due=_at(1))])
        store.commit("t", after=1, position=2, upserts=[_row("INC1", "b", "c", due=_at(2))])
        assert store.count("t", RowQuery(terms={"a"})) == 0
        assert [h.row.key for h in store.select("t", RowQuery(terms={"b", "c"}))] == ["INC1"]
        assert store.select("t", RowQuery(slot="due", end=_at(1.5))) == ()
        assert [h.at for h in store.select("t", RowQuery(slot="due"))] == [_at(2)]

    def test_a_delete_removes_the_row_and_its_index_entries(
        self, contract_projection_store: ProjectionStore
    ) -> None:
        store = contract_projection_store
        rows = [_row("INC1", "a", due=_at(1)), _row("INC2", "a", due=_at(2))]
        store.commit("t", after=0, position=1, upserts=rows)
        store.commit("t", after=1, position=2, deletes=["INC1", "INC9"])  # INC9: never there
        assert store.rows("t", ["INC1", "INC2"]) == {"INC2": rows[1]}
        assert [h.row.key for h in store.select("t", RowQuery(terms={"a"}))] == ["INC2"]
        assert [h.row.key for h in store.select("t", RowQuery(slot="due"))] == ["INC2"]

    def test_read_models_are_separate(self, contract_projection_store: ProjectionStore) -> None:
        store = contract_projection_store
        store.commit("a", after=0, position=4, upserts=[_row("K", "x", due=_at(1))])
        store.commit("b", after=0, position=2, upserts=[_row("K", "y")])
        assert (store.position("a"), store.position("b")) == (4, 2)
        assert store.rows("b", ["K"])["K"].terms == {"y"}
        assert store.select("b", RowQuery(slot="due")) == ()
        store.reset("a")
        assert (store.position("a"), store.position("b")) == (0, 2)
        assert store.rows("a", ["K"]) == {}
        assert store.count("a", RowQuery(terms={"x"})) == 0
        assert store.count("b", RowQuery()) == 1

    def test_a_query_orders_by_the_earliest_instant_in_range(
        self, contract_projection_store: ProjectionStore
    ) -> None:
        store = contract_projection_store
        rows = [
            _row("A", "g", due=_at(3)),
            ProjectionRow("B", "{}", {"g"}, [("due", _at(1)), ("due", _at(5))]),
            _row("C", "h", due=_at(1)),
            _row("D", "g", opened=_at(0)),
        ]
        store.commit("t", after=0, position=1, upserts=rows)

        def keys(query: RowQuery) -> list[tuple[str, dt.datetime | None]]:
            return [(hit.row.key, hit.at) for hit in store.select("t", query)]

        assert keys(RowQuery(slot="due")) == [("B", _at(1)), ("C", _at(1)), ("A", _at(3))]
        assert keys(RowQuery(slot="due", start=_at(2))) == [("A", _at(3)), ("B", _at(5))]
        assert keys(RowQuery(slot="due", start=_at(1), end=_at(3))) == [
            ("B", _at(1)),
            ("C", _at(1)),
        ]  # start included, end excluded
        assert keys(RowQuery(terms={"g"}, slot="due", limit=1)) == [("B", _at(1))]
        assert keys(RowQuery(terms={"g"})) == [("A", None), ("B", None), ("D", None)]
        assert keys(RowQuery(terms={"g", "h"})) == []
        assert keys(RowQuery(slot="due", start=_at(4), end=_at(4))) == []
        assert store.count("t", RowQuery(slot="due", limit=1)) == 3  # limit ignored

    def test_a_term_on_many_rows_and_a_rare_one(
        self, contract_projection_store: ProjectionStore
    ) -> None:
        store = contract_projection_store
        rows = {
            f"K{n:05}": ProjectionRow(
                f"K{n:05}",
                "{}",
                {"common", *(["rare"] if n % 700 == 0 else [])},
                [("due", _at((n * 37) % 101))],
            )
            for n in range(MANY)
        }
        store.commit("t", after=0, position=1, upserts=list(rows.values()))
        for query in (
            RowQuery(terms={"common"}, slot="due", start=_at(50), limit=25),
            RowQuery(terms={"common", "rare"}, slot="due"),
            RowQuery(terms={"rare"}, slot="due", end=_at(60)),
            RowQuery(terms={"common"}, limit=3),
        ):
            assert list(store.select("t", query)) == expected_hits(rows, query)
            assert store.count("t", query) == len(expected_hits(rows, without_limit(query)))

    # One store for every example (each example has its own read model in it), and the same
    # test run by each store's subclass: both are as intended.
    @settings(
        max_examples=25,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.differing_executors,
        ],
    )
    @given(commits=_commits(), queries=st.lists(_QUERIES, min_size=1, max_size=6))
    def test_queries_agree_with_a_plain_filter_after_any_commits(
        self,
        contract_projection_store: ProjectionStore,
        commits: list[tuple[list[ProjectionRow], list[str]]],
        queries: list[RowQuery],
    ) -> None:
        store = contract_projection_store
        name = f"model-{next(_NAMES)}"  # one read model per example, in the same store
        model: dict[str, ProjectionRow] = {}
        for position, (rows, deletes) in enumerate(commits, start=1):
            store.commit(name, after=position - 1, position=position, upserts=rows, deletes=deletes)
            model.update((row.key, row) for row in rows)
            for key in deletes:
                model.pop(key, None)
        assert store.position(name) == len(commits)
        assert store.rows(name, [*sorted(model), "absent"]) == model
        for query in queries:
            assert list(store.select(name, query)) == expected_hits(model, query)
            assert store.count(name, query) == len(expected_hits(model, without_limit(query)))

    def test_bad_arguments_are_refused_before_anything_is_written(
        self, contract_projection_store: ProjectionStore
    ) -> None:
        store = contract_projection_store
        bad: Sequence[dict[str, object]] = (
            {"name": " ", "after": 0, "position": 1},
            {"name": "t", "after": 2, "position": 1},
            {"name": "t", "after": -1, "position": 1},
            {"name": "t", "after": 0, "position": 1, "upserts": [_row("K"), _row("K")]},
            {"name": "t", "after": 0, "position": 1, "upserts": [_row("K")], "deletes": ["K"]},
            {"name": "t", "after": 0, "position": 1, "upserts": ["K"]},
            {"name": "t", "after": 0, "position": 1, "deletes": [""]},
        )
        for arguments in bad:
            name = arguments.pop("name")
            with pytest.raises(ValidationError):
                store.commit(name, **arguments)  # type: ignore[arg-type]
        with pytest.raises(ValidationError):
            store.select("t", "every row")  # type: ignore[arg-type]
        with pytest.raises(ValidationError):
            store.rows("t", [""])
        with pytest.raises(ValidationError):
            store.position("")
        assert store.position("t") == 0
        assert store.select("t", RowQuery()) == ()

    def test_data_survives_reopening(
        self, contract_projection_store: ProjectionStore, tmp_path: Path
    ) -> None:
        row = _row("INC1", "a", data='{"x": 1}', due=_at(2))
        contract_projection_store.commit("t", after=0, position=3, upserts=[row])
        other = self.reopen_projection_store(contract_projection_store, tmp_path)
        try:
            assert other.position("t") == 3
            assert other.rows("t", ["INC1"]) == {"INC1": row}
            assert [h.row for h in other.select("t", RowQuery(terms={"a"}, slot="due"))] == [row]
        finally:
            if other is not contract_projection_store:
                self.close_projection_store(other)

    def test_racing_commits_from_one_checkpoint_let_exactly_one_through(
        self, contract_projection_store: ProjectionStore
    ) -> None:
        store = contract_projection_store
        threads, rounds = 4, 5
        wins: list[int] = []
        lock = threading.Lock()
        errors: list[BaseException] = []
        for round_ in range(rounds):
            barrier = threading.Barrier(threads)

            def commit(
                index: int, after: int = round_, barrier: threading.Barrier = barrier
            ) -> None:
                try:
                    barrier.wait()
                    row = _row("count", data=f'{{"by": {index}}}')
                    store.commit("t", after=after, position=after + 1, upserts=[row])
                except VersionConflict:
                    return
                except BaseException as exc:  # reported below
                    errors.append(exc)
                    return
                with lock:
                    wins.append(index)

            pool = [threading.Thread(target=commit, args=(i,)) for i in range(threads)]
            for thread in pool:
                thread.start()
            for thread in pool:
                thread.join()
            assert not errors, errors
            assert len(wins) == round_ + 1  # exactly one commit per checkpoint
            assert store.position("t") == round_ + 1
            assert store.rows("t", ["count"])["count"].data == f'{{"by": {wins[-1]}}}'


def without_limit(query: RowQuery) -> RowQuery:
    """``query`` without its limit (what ``count`` counts)."""
    return RowQuery(terms=query.terms, slot=query.slot, start=query.start, end=query.end)
