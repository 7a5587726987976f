"""Dates, numbers and percentages in the reader's language: Babel when installed, else plain.

Without Babel (the ``i18n`` extra) every language gets the same locale-neutral forms: ISO 8601
date and time with the UTC offset, digits with a decimal point. With it, the CLDR forms of the
language (``2026年12月8日 09:00`` in Chinese, ``Dec 8, 2026, 9:00 AM`` in English).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import math
from typing import Literal

from itsm_core._checks import check_aware, is_int
from itsm_core.errors import Problem, ValidationError

from ._catalogue import language_of

_HAS_BABEL = importlib.util.find_spec("babel") is not None
_DATETIME_FORMATS = {"short": "yyyy-MM-dd HH:mm", "medium": None}

Style = Literal["short", "medium"]


def _babel_locale(language: str) -> str:
    return "zh_Hans_CN" if language == "zh_CN" else "en"


def format_datetime(
    value: dt.datetime, language: str, zone: dt.tzinfo | None = None, *, style: Style = "medium"
) -> str:
    """``value`` as the reader of ``language`` reads it, in ``zone`` (default: its own zone).

    ``style="short"`` is ``2026-12-08 09:00`` in every language; ``"medium"`` (the default)
    spells the date in the language when Babel is installed. The time of day is always the
    24-hour clock in Chinese, and the zone's offset follows when Babel is absent.

    >>> import datetime as dt
    >>> moment = dt.datetime(2026, 12, 8, 1, 30, tzinfo=dt.timezone.utc)
    >>> format_datetime(moment, "zh-CN", dt.timezone(dt.timedelta(hours=8)), style="short")
    '2026-12-08 09:30'
    """
    check_aware(value, "value")
    code = language_of(language)
    local = value.astimezone(zone) if zone is not None else value
    if style == "short":
        return local.strftime("%Y-%m-%d %H:%M")
    if not _HAS_BABEL:
        return local.isoformat(sep=" ", timespec="minutes")
    from babel.dates import format_datetime as babel_datetime

    if code == "zh_CN":
        return babel_datetime(local, "yyyy年M月d日 HH:mm", tzinfo=local.tzinfo, locale="zh_CN")
    return babel_datetime(local, "medium", tzinfo=local.tzinfo, locale="en")


def _check_number(value: float, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError("number", [Problem(path, f"not a number: {type(value).__name__}")])
    number = float(value)
    if not math.isfinite(number):
        raise ValidationError("number", [Problem(path, f"not finite: {value!r}")])
    return number


def format_decimal(value: float, language: str, *, digits: int = 1) -> str:
    """``value`` with ``digits`` decimals and the language's grouping (``12,345.6``).

    >>> format_decimal(12345.678, "zh-CN")
    '12,345.7'
    """
    number = _check_number(value, "value")
    if not (is_int(digits) and 0 <= digits <= 12):
        raise ValidationError("digits", [Problem("digits", f"not a whole number 0-12: {digits!r}")])
    code = language_of(language)
    if _HAS_BABEL:
        from babel.numbers import format_decimal as babel_decimal

        pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
        return str(babel_decimal(number, pattern, locale=_babel_locale(code)))
    return f"{number:,.{digits}f}"


def format_percent(fraction: float, language: str, *, digits: int = 1) -> str:
    """``fraction`` (0.925) as a percentage with ``digits`` decimals (``92.5%``).

    >>> format_percent(0.925, "en")
    '92.5%'
    """
    number = _check_number(fraction, "fraction") * 100
    return format_decimal(number, language, digits=digits) + "%"
