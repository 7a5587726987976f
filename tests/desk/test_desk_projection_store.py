"""The in-memory projection store passes the projection store contract."""

from __future__ import annotations

from pathlib import Path

from itsm_core.desk import InMemoryProjectionStore, ProjectionStore
from itsm_core.testing import ProjectionStoreContract


class TestInMemoryProjectionStore(ProjectionStoreContract):
    def make_projection_store(self, tmp_path: Path) -> ProjectionStore:
        return InMemoryProjectionStore()
