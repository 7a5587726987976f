"""Messages in Simplified Chinese and English: gettext catalogues shipped with the package.

Every customer-facing text (communications) and every report label comes from here, so an
embedding app in China shows 首次响应 and 满意度 where an English one shows *First response* and
*Satisfaction*. The catalogues are standard gettext files, one *domain* per package that has
texts (``reports``, ``communications``, ...): ``locale/<language>/LC_MESSAGES/<domain>.po``, the
translators' source, compiled to ``.mo`` with Babel (``python scripts/catalogues.py``). English
is the source language: a message's id is its English text, so English needs no catalogue.

Reading them takes no extra dependency (the standard library's :mod:`gettext`); formatting dates,
numbers and percentages in the reader's locale uses `Babel <https://babel.pocoo.org>`_ when it is
installed (``pip install itsm-core[i18n]``) and falls back to ISO 8601 and plain digits when not.

>>> zh = Messages.load("zh-CN", "common")
>>> zh.language, zh.text("Simplified Chinese")
('zh_CN', '简体中文')
>>> Messages.load("en_GB", "common").text("Simplified Chinese")
'Simplified Chinese'
>>> zh.format("{count} tickets", count=3)
'3 张工单'

Message ids are marked in source with :func:`N_` (it returns its argument), so a test can check
that every marked text has a translation in every language.
"""

from __future__ import annotations

from ._catalogue import LANGUAGES, N_, Messages, language_of
from ._format import format_datetime, format_decimal, format_percent

__all__ = [
    "LANGUAGES",
    "N_",
    "Messages",
    "format_datetime",
    "format_decimal",
    "format_percent",
    "language_of",
]
