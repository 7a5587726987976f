"""What the SQL stores share: closing with ``with``, event metadata and outbox messages as JSON
text."""

from __future__ import annotations

import json
from collections.abc import Sequence
from types import TracebackType
from typing import Self

from itsm_core.communications import Notification
from itsm_core.errors import RepositoryError
from itsm_core.repositories import EventMetadata, ExpectedVersion, check_append
from itsm_core.serialization import Serializer


class Closing:
    """``with`` support for anything with a ``close()``: the block's end closes it."""

    def close(self) -> None:
        """Release what this object holds."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def dump_metadata(serializer: Serializer, metadata: EventMetadata) -> str:
    """``metadata`` as JSON text, through the one converter (zones kept)."""
    return json.dumps(serializer.converter.unstructure(metadata), ensure_ascii=False)


def load_metadata(serializer: Serializer, text: str | None, where: str) -> EventMetadata | None:
    """The metadata :func:`dump_metadata` wrote (None for an event stored without);
    :class:`~itsm_core.errors.RepositoryError` naming ``where`` for a row that does not read."""
    if text is None:
        return None
    try:
        return serializer.converter.structure(json.loads(text), EventMetadata)
    except Exception as exc:  # a hand-edited row: name it, never leak cattrs errors
        raise RepositoryError(f"{where}: unreadable event metadata {text[:80]!r}: {exc}") from exc


def prepared_append(
    serializer: Serializer,
    stream: str,
    events: Sequence[object],
    expected_version: int | ExpectedVersion,
    metadata: Sequence[EventMetadata] | None,
    idempotency_key: str | None,
) -> tuple[list[str], list[tuple[str | None, str | None]]]:
    """An append's arguments checked (:func:`~itsm_core.repositories.check_append`) and its
    rows written before any lock is taken: each event's envelope, and its ``(event id,
    metadata text)`` (``(None, None)`` for an append without metadata)."""
    batch = list(events)
    check_append(stream, expected_version, batch, metadata, idempotency_key)
    envelopes = [serializer.dumps(event) for event in batch]
    metas: list[tuple[str | None, str | None]] = (
        [(None, None)] * len(batch)
        if metadata is None
        else [(entry.event_id, dump_metadata(serializer, entry)) for entry in metadata]
    )
    return envelopes, metas


def dump_message(serializer: Serializer, message: Notification) -> str:
    """``message`` as JSON text, through the one converter."""
    return json.dumps(serializer.converter.unstructure(message), ensure_ascii=False)


def load_message(serializer: Serializer, text: str, key: str) -> Notification:
    """The message :func:`dump_message` wrote; RepositoryError naming ``key`` if unreadable."""
    try:
        found: Notification = serializer.converter.structure(json.loads(text), Notification)
    except Exception as exc:  # a hand-edited row: name it, never leak cattrs errors
        raise RepositoryError(f"outbox message {key!r}: unreadable {text[:80]!r}: {exc}") from exc
    return found
