"""Knowledge articles and their events as the released format stored them still load.

``fixtures/released/knowledge.jsonl`` was written by ``Serializer().dumps`` of the release
before the aggregate kernel (one envelope per line): every kind of article event, in the
history of one article, and the article at three points. Its datetimes are in Asia/Shanghai
(one in UTC), so a reader that kept the instant but lost the zone fails here. The file is never
rewritten: it is what users have on disk.
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import attrs
import pytest

from itsm_core.knowledge import Article, ArticleEvent, ArticleStatus, ArticleVersion
from itsm_core.serialization import Serializer

FIXTURE = Path(__file__).parent / "fixtures" / "released" / "knowledge.jsonl"
#: One serializer for every line (building one costs tens of milliseconds).
SERIALIZER = Serializer()
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DRAFT, REVIEW = ArticleStatus.DRAFT, ArticleStatus.REVIEW
PUBLISHED, RETIRED = ArticleStatus.PUBLISHED, ArticleStatus.RETIRED


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI)


V1 = ArticleVersion(
    number=1,
    title="VPN 错误 809",
    body="打开 UDP 500 和 4500 端口。",
    category="network/vpn",
    tags={"vpn", "809"},
    author="li",
    at=_at(2, 9),
    note="first version",
)
V2 = attrs.evolve(
    V1,
    number=2,
    body="打开 UDP 500 和 4500 端口（见截图）。",
    at=_at(3, 9, 30),
    note="added screenshots",
)
V3 = attrs.evolve(
    V2, number=3, title="VPN error 809", tags=frozenset({"vpn"}), at=_at(5, 9), note="new client"
)
UTC_VOTE = dt.datetime(2026, 3, 4, 1, 30, tzinfo=dt.UTC)

_Row = tuple[int, str, dt.datetime, str, ArticleStatus | None, ArticleStatus, dict[str, Any]]
_EVENTS: list[_Row] = [
    # sequence, name, at, actor, from, to, data
    (1, "create", _at(2, 9), "li", None, DRAFT, {"version": V1}),
    (2, "link_ticket", _at(2, 9, 5), "li", DRAFT, DRAFT, {"ticket_id": "INC-1"}),
    (3, "link_problem", _at(2, 9, 10), "li", DRAFT, DRAFT, {"problem_id": "PRB-3"}),
    (4, "submit", _at(2, 10), "li", DRAFT, REVIEW, {}),
    (5, "request_changes", _at(2, 11), "wang", REVIEW, DRAFT, {"reason": "加上截图"}),
    (6, "revise", _at(3, 9, 30), "li", DRAFT, DRAFT, {"version": V2}),
    (7, "submit", _at(3, 10), "li", DRAFT, REVIEW, {}),
    (8, "publish", _at(3, 14), "wang", REVIEW, PUBLISHED, {}),
    (9, "record_view", _at(4, 8), "zhao", PUBLISHED, PUBLISHED, {}),
    (10, "record_solved", _at(4, 8, 20), "zhao", PUBLISHED, PUBLISHED, {"ticket_id": "INC-2"}),
    (11, "record_feedback", _at(4, 9), "customer-1", PUBLISHED, PUBLISHED, {"helpful": True}),
    (12, "record_feedback", UTC_VOTE, "customer-2", PUBLISHED, PUBLISHED, {"helpful": False}),
    (13, "revise", _at(5, 9), "li", PUBLISHED, DRAFT, {"version": V3}),
    (14, "retire", _at(6, 18, 45), "wang", DRAFT, RETIRED, {"reason": "superseded by KB-9"}),
]
EVENTS = [
    ArticleEvent(
        article_id="KB-7",
        sequence=sequence,
        name=name,
        at=at,
        actor=actor,
        from_status=source,
        to_status=target,
        **data,
    )
    for sequence, name, at, actor, source, target, data in _EVENTS
]
PUBLISHED_ARTICLE = Article(
    article_id="KB-7",
    status=PUBLISHED,
    versions=(V1, V2),
    version=8,
    created_at=_at(2, 9),
    updated_at=_at(3, 14),
    tickets=frozenset({"INC-1"}),
    problems=frozenset({"PRB-3"}),
    published_at=_at(3, 14),
)
VOTED_ARTICLE = attrs.evolve(
    PUBLISHED_ARTICLE,
    version=12,
    updated_at=UTC_VOTE,
    tickets=frozenset({"INC-1", "INC-2"}),
    solved_tickets=frozenset({"INC-2"}),
    views=1,
    helpful=1,
    not_helpful=1,
)
RETIRED_ARTICLE = attrs.evolve(
    VOTED_ARTICLE,
    status=RETIRED,
    versions=(V1, V2, V3),
    version=14,
    updated_at=_at(6, 18, 45),
    retired_reason="superseded by KB-9",
)
#: What each line of the fixture holds, in order.
EXPECTED: list[object] = [
    *EVENTS[:8],
    PUBLISHED_ARTICLE,
    *EVENTS[8:12],
    VOTED_ARTICLE,
    *EVENTS[12:],
    RETIRED_ARTICLE,
]


def _lines() -> list[str]:
    return FIXTURE.read_text(encoding="utf-8").splitlines()


def _datetimes(value: object, path: str = "") -> Iterator[tuple[str, dt.datetime]]:
    """Every datetime inside ``value`` with its path, to compare zones and not only instants."""
    if isinstance(value, dt.datetime):
        yield path, value
    elif attrs.has(type(value)):
        for field in attrs.fields(cast(Any, type(value))):
            yield from _datetimes(getattr(value, field.name), f"{path}.{field.name}")
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _datetimes(item, f"{path}[{index}]")


def test_the_fixture_covers_every_event_name_and_is_unchanged() -> None:
    lines = _lines()
    assert len(lines) == len(EXPECTED) == 17
    names = {json.loads(line)["data"].get("name") for line in lines} - {None}
    assert names == {
        "create",
        "revise",
        "submit",
        "request_changes",
        "publish",
        "retire",
        "link_ticket",
        "link_problem",
        "record_view",
        "record_solved",
        "record_feedback",
    }
    assert all(json.loads(line)["version"] == 1 for line in lines)


@pytest.mark.parametrize(("line", "expected"), list(zip(_lines(), EXPECTED, strict=True)))
def test_each_stored_line_loads_as_the_value_it_was(line: str, expected: object) -> None:
    loaded = SERIALIZER.loads(line, type(expected))
    assert loaded == expected
    zones = [(path, value, value.tzinfo) for path, value in _datetimes(loaded)]
    assert zones == [(path, value, value.tzinfo) for path, value in _datetimes(expected)]
    assert zones  # every value here has datetimes, so the zones were compared


def test_the_zones_are_the_stored_ones() -> None:
    create, vote = (SERIALIZER.loads(_lines()[i], ArticleEvent) for i in (0, 12))
    assert create.at.tzinfo is SHANGHAI
    assert create.version is not None
    assert create.version.at.tzinfo is SHANGHAI
    assert vote.at.tzinfo is dt.UTC
