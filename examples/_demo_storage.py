"""Demo section: tickets decided, stored in memory and in SQLite, read back, and a stale write."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from itsm_core.adapters.sqlite import SqliteDatabase, SqliteEventStore, SqliteRepository
from itsm_core.errors import VersionConflict
from itsm_core.knowledge import (
    Article,
    ArticleContext,
    CreateArticle,
    Publish,
    Submit,
    decide_article,
)
from itsm_core.repositories import (
    EventStore,
    InMemoryEventStore,
    Repository,
)
from itsm_core.serialization import Serializer
from itsm_core.tickets import (
    AddComment,
    Assign,
    Command,
    CommandContext,
    OpenTicket,
    Resolve,
    Ticket,
    TicketEvent,
    TicketKind,
    decide,
    replay,
)

T0 = dt.datetime(2026, 11, 16, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _context(actor: str, minutes: int) -> CommandContext:
    return CommandContext(actor=actor, role="agent", now=T0 + dt.timedelta(minutes=minutes))


def _history(ticket_id: str, symptom: str, steps: list[tuple[int, Command]]) -> list[TicketEvent]:
    """The events of one ticket: opened by the desk, then ``steps`` decided by liu."""
    opening = OpenTicket(
        ticket_id=ticket_id, kind=TicketKind.INCIDENT, requester="Ms Zhao", symptom=symptom
    )
    ticket, events = decide(None, opening, _context("desk", 0))
    trail = list(events)
    for minutes, command in steps:
        ticket, events = decide(ticket, command, _context("liu", minutes))
        trail.extend(events)
    return trail


def _append_and_read(
    store: EventStore[TicketEvent], histories: list[list[TicketEvent]]
) -> list[str]:
    """Append each history as one stream, read it back, replay it: one table row per ticket."""
    rows = []
    for history in histories:
        stream = history[0].ticket_id
        version = store.append(stream, history, expected_version=0)
        ticket = replay(store.read(stream))
        same = "yes" if ticket == replay(history) else "NO"
        rows.append(f"{stream:9}  {len(history):>6}  {version:>7}  {ticket.state:12}  {same}")
    return rows


def _conflict(store: EventStore[TicketEvent], stream: str) -> list[str]:
    """Two agents comment on the same ticket version; the second must re-read and retry."""
    lines = []
    seen: Ticket = replay(store.read(stream))
    for actor, minutes, text in (("liu", 60, "called the user"), ("chen", 61, "sent a VPN guide")):
        _, events = decide(seen, AddComment(text=text), _context(actor, minutes))
        try:
            version = store.append(stream, events, expected_version=seen.version)
            lines.append(f"{actor:4} appends at version {seen.version}: now version {version}")
        except VersionConflict as conflict:
            lines.append(f"{actor:4} appends at version {seen.version}: VersionConflict")
            lines.append(f"     ({conflict})")
            fresh = replay(store.read(stream))
            _, events = decide(fresh, AddComment(text=text), _context(actor, minutes))
            version = store.append(stream, events, expected_version=fresh.version)
            lines.append(
                f"{actor:4} re-reads version {fresh.version}, decides again: now version {version}"
            )
    return lines


def _article() -> Article:
    now = T0 + dt.timedelta(hours=2)
    create = CreateArticle(
        article_id="KB-12",
        title="VPN 错误 809",
        body="开放 UDP 500 和 4500。",
        category="network/vpn",
        tags=frozenset({"vpn"}),
    )
    author = ArticleContext(actor="liu", role="author", now=now)
    article = decide_article(None, create, author).state
    article = decide_article(article, Submit(), author).state
    reviewer = ArticleContext(actor="chen", role="reviewer", now=now)
    return decide_article(article, Publish(), reviewer).state


def show() -> None:
    """Print the storage section of the demo."""
    histories = [
        _history(
            "INC-0101",
            "VPN drops every 10 minutes",
            [
                (5, Assign(group="network", assignee="liu")),
                (20, AddComment(text="UDP 4500 blocked at the branch firewall")),
                (45, Resolve(code="config_fixed", note="firewall rule opened")),
            ],
        ),
        _history("INC-0102", "打印机卡纸", [(8, Assign(group="desk", assignee="liu"))]),
    ]
    header = f"  {'store':9}  {'ticket':9}  {'events':>6}  {'version':>7}  {'state':12}  replays"
    memory: InMemoryEventStore[TicketEvent] = InMemoryEventStore()
    with tempfile.TemporaryDirectory(prefix="itsm-demo-") as folder:
        database = SqliteDatabase(Path(folder) / "itsm.db")
        sqlite: SqliteEventStore[TicketEvent] = SqliteEventStore(database)
        print("Each ticket's events appended as one stream, read back and replayed:")
        print(header)
        for name, store in (("in-memory", memory), ("SQLite", sqlite)):
            for row in _append_and_read(store, histories):
                print(f"  {name:9}  {row}")
        print()
        print("The whole log, for projections (read_all after position 3, SQLite):")
        for record in sqlite.read_all(after=3):
            print(
                f"  position {record.position}: {record.stream} #{record.version} "
                f"{record.event.name}"
            )
        print()
        print("Optimistic concurrency: two agents both read INC-0101 at version 4 (SQLite)")
        for line in _conflict(sqlite, "INC-0101"):
            print(f"  {line}")
        database.close()
        with SqliteEventStore[TicketEvent](Path(folder) / "itsm.db") as reopened:
            final = replay(reopened.read("INC-0101"))
            print(
                f"  reopened file: INC-0101 at version {final.version}, "
                f"{len(final.comments)} comments, none lost"
            )
        article_store = SqliteRepository[Article](Path(folder) / "itsm.db", "article")
        articles: Repository[Article] = article_store
        saved = articles.save("KB-12", _article(), expected_version=0)
        loaded = articles.get("KB-12")
        print()
        print(
            f"Knowledge article {saved.key} saved at version {saved.version}: "
            f"{loaded.value.title} ({loaded.value.status}), equal after reading: "
            f"{loaded.value == saved.value}"
        )
        envelope = Serializer().dump(loaded.value)
        print(f"  stored as envelope type={envelope['type']!r} version={envelope['version']}")
        article_store.close()
