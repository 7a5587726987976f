"""Analysis: from a text to its search terms, for articles and queries alike.

The steps, in order (each can be switched off; :meth:`Analyzer.plain` switches off all):

1. :func:`~itsm_core.knowledge.tokenize`: NFKC, case folding, CJK character bigrams and words.
2. Chinese words (``chinese_words``, the ``chinese`` extra, jieba): every word of three or more
   characters jieba finds in a CJK run is added beside the bigrams (``打印机``, ``怎么办``);
   two-character words are already bigrams. Without jieba installed the step does nothing.
3. English stemming (``stemming``, the ``search`` extra, the Snowball English stemmer):
   ``visitors`` and ``visitor`` are one term, ``connecting`` and ``connection`` too. Only
   ASCII words are stemmed. Without snowballstemmer installed words are kept as they are.
4. Synonyms (``synonyms``, a :class:`SynonymTable`): where a member phrase of a group occurs
   (as a sequence of stemmed terms), the group's concept term ``~name`` is added.
5. Hyphenated compounds (``compounds``): ``Wi-Fi`` gives ``wi`` and ``fi`` (step 1) and the
   joined word ``wifi``, so ``Wi-Fi``, ``WiFi`` and ``wifi`` all meet.

The analyzer is a frozen value: it compiles its synonym table when it is made (once), and
makes a stemmer per analysis. Stems computed go into a cache the caller owns (an index keeps
one), which makes analysing many texts several times faster.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections.abc import Callable, MutableMapping
from itertools import chain, compress
from typing import Any, cast

import attrs

from itsm_core.knowledge._synonyms import SynonymTable
from itsm_core.knowledge._tokens import CJK_RUNS, bigrams, folded_runs, tokenize

_COMPOUND = re.compile(r"(?<![^\W_])[a-z0-9]+(?:-[a-z0-9]+)+(?![^\W_])")

#: The prefix of a synonym group's concept term (not a letter, so no word collides with it).
CONCEPT = "~"


def _optional(module: str) -> Any:
    """An optional dependency, or None when it is not installed."""
    try:
        return importlib.import_module(module)
    except ImportError:  # pragma: no cover - the extras are installed where the tests run
        return None


def stemmer_available() -> bool:
    """True when snowballstemmer (the ``search`` extra) is installed."""
    return _optional("snowballstemmer") is not None


def segmenter_available() -> bool:
    """True when jieba (the ``chinese`` extra) is installed."""
    return _optional("jieba") is not None


def _stemmer() -> Callable[[str], str] | None:
    """A new Snowball English stemmer (they keep state while stemming: one per analysis)."""
    module = _optional("snowballstemmer")
    if module is None:  # pragma: no cover - the search extra is installed in the tests
        return None
    stem: Callable[[str], str] = module.stemmer("english").stemWord
    return stem


@attrs.frozen(kw_only=True)
class Analyzer:
    """How texts become search terms: see the module docstring for the steps.

    >>> analyzer = Analyzer()
    >>> analyzer.terms("Visitors can't join the Wi-Fi")
    ('visitor', 'can', 't', 'join', 'the', 'wi', 'fi', '~visitor', '~wifi', 'wifi')
    >>> "~mfa" in analyzer.terms("MFA") and "~mfa" in analyzer.terms("多因素认证")
    True
    >>> Analyzer.plain().terms("Visitors can't join the Wi-Fi")
    ('visitors', 'can', 't', 'join', 'the', 'wi', 'fi')
    """

    stemming: bool = True
    """Stem English words (Snowball English) when snowballstemmer is installed."""
    synonyms: SynonymTable = attrs.field(factory=SynonymTable.default)
    """The synonym and abbreviation groups; ``SynonymTable.empty()`` for none."""
    compounds: bool = True
    """Add the joined word of hyphenated compounds (``wi-fi`` gives ``wifi``)."""
    chinese_words: bool = False
    """Add jieba's words of three or more characters beside the bigrams (``chinese`` extra)."""
    _phrases: dict[str, list[tuple[tuple[str, ...], str]]] = attrs.field(
        init=False, eq=False, repr=False
    )
    _segment: Callable[[str], list[str]] | None = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        """Compile the synonym members once (as stemmed term sequences, by first term,
        longest first) and make the segmenter; the analyzer never changes afterwards."""
        phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        stems: dict[str, Any] = {}
        for name, members in self.synonyms.groups.items():
            for member in members:
                terms = tuple(self._stemmed(tokenize(member), stems))
                if terms:
                    phrases.setdefault(terms[0], []).append((terms, CONCEPT + name))
        for entries in phrases.values():
            entries.sort(key=lambda entry: (-len(entry[0]), entry))
        object.__setattr__(self, "_phrases", phrases)
        segment = None
        if self.chinese_words:
            module = _optional("jieba")
            if module is not None:
                module.setLogLevel(30)  # warnings only: no "Building prefix dict" lines
                segment = module.Tokenizer().lcut
        object.__setattr__(self, "_segment", segment)

    @classmethod
    def plain(cls) -> Analyzer:
        """Exactly :func:`tokenize`: no stemming, synonyms, compounds or Chinese words."""
        return cls(stemming=False, synonyms=SynonymTable.empty(), compounds=False)

    def _stemmed(self, tokens: tuple[str, ...], cache: MutableMapping[str, Any]) -> list[str]:
        """The tokens stemmed (ASCII words only)."""
        terms: list[str] = []
        for token in tokens:
            terms.extend(self._run_terms("", token, cache))
        return terms

    def _run_terms(self, run: str, word: str, cache: MutableMapping[str, Any]) -> list[str]:
        """The terms of one run of :func:`~itsm_core.knowledge._tokens.runs` (a word
        stemmed, a CJK run as bigrams), kept in ``cache`` (long CJK runs are not kept)."""
        key = word or run
        terms: list[str] | None = cache.get(key)
        if terms is None:
            if run:
                terms = bigrams(run)
            elif self.stemming and word.isascii() and word.isalpha():
                stem = _stemmer()
                terms = [word if stem is None else stem(word)]
            else:
                terms = [word]
            if len(key) <= 12:
                cache[key] = terms
        return terms

    def _chunk_terms(self, chunk: str, cache: MutableMapping[str, Any]) -> list[str]:
        """The terms of one whitespace-free piece of folded text, kept in ``cache`` (long
        pieces are not kept; their words and short CJK runs are)."""
        terms: list[str] | None = cache.get(chunk)
        if terms is None:
            terms = []
            for run, word in folded_runs(chunk):
                terms.extend(self._run_terms(run, word, cache))
            if len(chunk) <= 12:
                cache[chunk] = terms
        return terms

    # -- the analysis ------------------------------------------------------------------------

    def terms(self, text: str, cache: MutableMapping[str, Any] | None = None) -> tuple[str, ...]:
        """The search terms of ``text``, repeated as often as they occur.

        ``cache`` (a dict the caller owns, such as an index's) keeps the terms of words and
        short CJK runs already analysed, which makes analysing many texts several times
        faster. Give every analyzer its own cache.
        """
        cache = {} if cache is None else cache
        # Whitespace always separates terms, so the text's whitespace-separated chunks are
        # analysed one by one, each looked up in the cache first (most chunks recur).
        folded = unicodedata.normalize("NFKC", text).casefold()
        chunks = folded.split()
        found: list[list[str] | None] = list(map(cache.get, chunks))
        if None in found:
            found = [self._chunk_terms(chunk, cache) for chunk in chunks]
        terms: list[str] = list(chain.from_iterable(cast(list[list[str]], found)))
        phrases = self._phrases
        if phrases:
            # The positions of the terms that start a phrase, found without a Python loop.
            starts = list(compress(range(len(terms)), map(phrases.__contains__, terms)))
            for position in starts:
                for phrase, concept in phrases[terms[position]]:
                    size = len(phrase)  # longest first: a one-term phrase always matches
                    if size == 1 or tuple(terms[position : position + size]) == phrase:
                        terms.append(concept)
                        break
        segment = self._segment
        if segment is not None:
            for run in CJK_RUNS.findall(folded):
                if len(run) > 2:
                    terms.extend(word for word in segment(run) if len(word) > 2)
        if self.compounds and ("-" in text or "\uff0d" in text):  # ASCII or full-width
            joined = [match.replace("-", "") for match in _COMPOUND.findall(folded)]
            terms.extend(self._stemmed(tuple(joined), cache))  # after the concepts
        return tuple(terms)


DEFAULT_ANALYZER = Analyzer()
"""The analyzer of an index made without one: stemming, the built-in synonyms, compounds."""
