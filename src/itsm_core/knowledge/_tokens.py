"""Tokenisation for Chinese and English without a dictionary: character bigrams and words.

The rules, applied in this order:

1. Unicode NFKC normalisation (full-width ``ＶＰＮ２`` becomes ``VPN2``, full-width punctuation
   becomes ASCII punctuation), then case folding (``Outlook`` and ``OUTLOOK`` are one term).
2. Anything that is not a letter or digit (``str.isalnum``: punctuation, symbols, unassigned
   code points) separates terms, inside CJK text too; the text is then cut into runs of CJK
   characters (Han ideographs, kana, Hangul) and the rest.
3. A CJK run of two or more characters gives its overlapping character bigrams (``密码重置``:
   ``密码``, ``码重``, ``重置``); a run of one character gives that character.
4. Everything else gives its runs of letters and digits (``str.isalnum``); punctuation,
   whitespace and underscores only separate words (``can't`` gives ``can`` and ``t``).

No stop words, no stemming: what is indexed is exactly what a reader can predict. Bigrams are
the classic dictionary-free choice for Chinese retrieval; they never miss a two-character word
and need no segmentation model.
"""

from __future__ import annotations

import re
import unicodedata

# Han ideographs (CJK Unified Ideographs, Extension A, Extensions B and later, compatibility
# ideographs), the ideographic zero, Japanese kana and Hangul syllables.
_CJK_CLASS = (
    "\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
    "\U00020000-\U0002fa1f\U00030000-\U0003134f"
)
CJK_RUNS = re.compile(f"([{_CJK_CLASS}]+)")
# After the separators are blanked: a CJK run (group 1) or a run of other letters and digits.
_RUNS = re.compile(f"([{_CJK_CLASS}]+)|([^\\W_{_CJK_CLASS}]+)")
_SEPARATORS = re.compile(r"[\W_]+")


def tokenize(text: str) -> tuple[str, ...]:
    """The search terms of ``text``, in reading order, repeated as often as they occur.

    >>> tokenize("VPN 连接失败, error 809!")
    ('vpn', '连接', '接失', '失败', 'error', '809')
    >>> tokenize("重置 Outlook 密码")
    ('重置', 'outlook', '密码')
    >>> tokenize("网")
    ('网',)
    >>> tokenize("ＷｉＦｉ断了")
    ('wifi', '断了')
    >>> tokenize("カメラ・レンズ")  # the middle dot separates, as punctuation does
    ('カメ', 'メラ', 'レン', 'ンズ')
    """
    terms: list[str] = []
    for run, word in runs(text):
        if word:
            terms.append(word)
        else:
            terms.extend(bigrams(run))
    return tuple(terms)


def runs(text: str) -> list[tuple[str, str]]:
    """``text`` normalised and cut into runs: ``(cjk_run, "")`` or ``("", word)`` pairs."""
    return folded_runs(unicodedata.normalize("NFKC", text).casefold())


def folded_runs(folded: str) -> list[tuple[str, str]]:
    """The runs of an already normalised and case-folded text (see :func:`runs`)."""
    found: list[tuple[str, str]] = _RUNS.findall(_SEPARATORS.sub(" ", folded))
    return found


def bigrams(run: str) -> list[str]:
    """The overlapping character bigrams of a CJK run (a lone character is its own term)."""
    if len(run) < 3:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]
