"""Compile the message catalogues: every ``.po`` under src/itsm_core/i18n/locale to its ``.mo``.

Run after editing a ``.po`` file (``python scripts/catalogues.py``); ``--check`` exits 1 when a
committed ``.mo`` holds other messages than its ``.po`` (tests/i18n runs the same check; the
headers, which name the Babel version, do not count). Needs Babel (the ``i18n`` extra, part of
``dev``). Give every ``.po`` a fixed ``POT-Creation-Date`` header, or Babel writes today's.
"""

from __future__ import annotations

import gettext
import io
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[1] / "src" / "itsm_core" / "i18n" / "locale"


def compiled(po: Path) -> bytes:
    """The ``.mo`` bytes of one ``.po`` file (fuzzy entries left out, as msgfmt does)."""
    with po.open("rb") as stream:
        catalogue = read_po(stream, abort_invalid=True)
    out = io.BytesIO()
    write_mo(out, catalogue, use_fuzzy=False)
    return out.getvalue()


def messages(mo: bytes) -> dict[object, str]:
    """The messages of compiled ``.mo`` bytes, without the header entry."""
    catalog: dict[object, str] = gettext.GNUTranslations(io.BytesIO(mo))._catalog  # type: ignore[attr-defined]
    return {key: text for key, text in catalog.items() if key != ""}


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for po in sorted(LOCALE.rglob("*.po")):
        mo = po.with_suffix(".mo")
        data = compiled(po)
        if mo.exists() and messages(mo.read_bytes()) == messages(data):
            continue
        stale.append(mo)
        if not check:
            mo.write_bytes(data)
    for mo in stale:
        print(("stale: " if check else "wrote ") + str(mo.relative_to(LOCALE.parents[3])))
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
