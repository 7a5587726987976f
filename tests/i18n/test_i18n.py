"""The message catalogues: complete, consistent with their sources, and looked up correctly."""

from __future__ import annotations

import ast
import datetime as dt
import importlib.util
import string
from pathlib import Path

import pytest

from itsm_core import i18n
from itsm_core.errors import UnknownLanguage, ValidationError
from itsm_core.i18n import _format

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "itsm_core"
LOCALE = PACKAGE / "i18n" / "locale"

babel_pofile = pytest.importorskip(
    "babel.messages.pofile", reason="Babel (the i18n extra, part of dev) reads the .po files"
)


def catalogue(po: Path) -> dict[str, str]:
    with po.open("rb") as stream:
        read = babel_pofile.read_po(stream, abort_invalid=True)
    return {str(m.id): str(m.string) for m in read if m.id and not m.fuzzy}


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


POS = sorted(LOCALE.rglob("*.po"))


def test_there_are_catalogues_in_every_language_but_the_source() -> None:
    languages = {po.parent.parent.name for po in POS}
    assert languages == set(i18n.LANGUAGES) - {"en"}


@pytest.mark.parametrize("po", POS, ids=lambda p: str(p.relative_to(LOCALE)))
def test_every_message_is_translated_with_the_same_fields(po: Path) -> None:
    wrong = []
    for msgid, msgstr in catalogue(po).items():
        if not msgstr.strip():
            wrong.append(f"{msgid!r}: no translation")
        elif fields(msgid) != fields(msgstr):
            wrong.append(f"{msgid!r}: fields {sorted(fields(msgstr))} != {sorted(fields(msgid))}")
    assert not wrong, "\n".join(wrong)


def test_the_compiled_catalogues_are_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location("catalogues", ROOT / "scripts" / "catalogues.py")
    assert spec is not None
    assert spec.loader is not None
    catalogues = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(catalogues)
    stale = [
        po
        for po in POS
        if catalogues.messages(po.with_suffix(".mo").read_bytes())
        != catalogues.messages(catalogues.compiled(po))
    ]
    assert not stale, f"run python scripts/catalogues.py: {stale}"


def marked(package: Path) -> set[str]:
    """Every literal passed to N_(...) in a package's source."""
    found = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "N_"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found


@pytest.mark.parametrize("po", POS, ids=lambda p: str(p.relative_to(LOCALE)))
def test_every_marked_text_of_a_package_is_in_its_catalogue(po: Path) -> None:
    package = PACKAGE / po.stem
    missing = marked(package) - catalogue(po).keys() if package.is_dir() else set()
    assert not missing, f"{po.name} lacks {sorted(missing)}"


def test_a_package_that_marks_texts_has_a_catalogue() -> None:
    domains = {po.stem for po in POS}
    unmarked = {
        p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name not in domains and marked(p)
    }
    assert not unmarked, f"texts marked with N_ but no catalogue: {sorted(unmarked)}"


@pytest.mark.parametrize(
    ("tag", "language"),
    [
        ("zh", "zh_CN"),
        ("zh-CN", "zh_CN"),
        ("zh_Hans_CN", "zh_CN"),
        ("ZH-hans", "zh_CN"),
        ("en", "en"),
        ("en-GB", "en"),
        ("en_US", "en"),
    ],
)
def test_language_tags(tag: str, language: str) -> None:
    assert i18n.language_of(tag) == language


@pytest.mark.parametrize("tag", ["fr", "zh-TW", "zh_Hant", "", "english", 7, None])
def test_languages_without_a_catalogue_are_refused_by_name(tag: object) -> None:
    with pytest.raises(UnknownLanguage) as caught:
        i18n.language_of(tag, path="customer.language")  # type: ignore[arg-type]
    assert "customer.language" in str(caught.value)
    assert "zh_CN" in str(caught.value)


def test_messages_translate_and_fall_back_to_the_source_text() -> None:
    zh = i18n.Messages.load("zh-CN", "common")
    assert zh.text("English") == "英文"
    assert zh.text("not in the catalogue") == "not in the catalogue"
    assert zh.format("{count} tickets", count=2) == "2 张工单"
    assert i18n.Messages.load("en", "common").format("{count} tickets", count=2) == "2 tickets"
    assert zh == i18n.Messages.load("zh", "common") != i18n.Messages.load("en", "common")


def test_missing_facts_and_unknown_domains_are_refused() -> None:
    zh = i18n.Messages.load("zh-CN", "common")
    with pytest.raises(ValidationError, match="count"):
        zh.format("{count} tickets")
    with pytest.raises(ValidationError, match=r"'nothing'.*common"):
        i18n.Messages.load("zh-CN", "nothing")
    with pytest.raises(ValidationError, match="no catalogue"):
        i18n.Messages.load("zh-CN", "../common")


MOMENT = dt.datetime(2026, 12, 8, 1, 30, tzinfo=dt.UTC)
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def test_dates_with_babel() -> None:
    pytest.importorskip("babel", reason="Babel (the i18n extra) spells dates per language")
    assert i18n.format_datetime(MOMENT, "zh-CN", SHANGHAI) == "2026年12月8日 09:30"
    assert i18n.format_datetime(MOMENT, "en", SHANGHAI) == "Dec 8, 2026, 9:30:00\u202fAM"
    assert i18n.format_percent(0.9251, "zh-CN") == "92.5%"
    assert i18n.format_decimal(1234567.25, "en", digits=2) == "1,234,567.25"


def test_dates_and_numbers_without_babel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_format, "_HAS_BABEL", False)
    assert i18n.format_datetime(MOMENT, "zh-CN", SHANGHAI) == "2026-12-08 09:30+08:00"
    assert i18n.format_datetime(MOMENT, "en", style="short") == "2026-12-08 01:30"
    assert i18n.format_decimal(1234567.25, "zh", digits=0) == "1,234,567"
    assert i18n.format_percent(1, "en", digits=0) == "100%"


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "3", True, None])
def test_numbers_must_be_finite_numbers(bad: object) -> None:
    with pytest.raises(ValidationError):
        i18n.format_decimal(bad, "en")  # type: ignore[arg-type]


@pytest.mark.parametrize("digits", [-1, 13, 1.5, True])
def test_digits_are_bounded(digits: object) -> None:
    with pytest.raises(ValidationError, match="digits"):
        i18n.format_decimal(1.0, "en", digits=digits)  # type: ignore[arg-type]


def test_naive_datetimes_are_refused() -> None:
    from itsm_core.errors import NaiveDatetimeError

    with pytest.raises(NaiveDatetimeError):
        i18n.format_datetime(dt.datetime(2026, 1, 1), "en")
