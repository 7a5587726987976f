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
_CJK_RUNS = re.compile(f"([{_CJK_CLASS}]+)")
_WORDS = re.compile(r"[^\W_]+")
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
    folded = unicodedata.normalize("NFKC", text).casefold()
    pieces = _CJK_RUNS.split(_SEPARATORS.sub(" ", folded))
    for position, piece in enumerate(pieces):
        if position % 2:  # a CJK run (the split keeps the separators at odd positions)
            if len(piece) == 1:
                terms.append(piece)
            else:
                terms.extend(piece[i : i + 2] for i in range(len(piece) - 1))
        elif piece:
            terms.extend(_WORDS.findall(piece))
    return tuple(terms)
