"""Finding personal data in free text: Chinese mobile and landline numbers, e-mail addresses
and resident ID numbers (with their ISO 7064 MOD 11-2 check digit)."""

from __future__ import annotations

import enum
import re
import unicodedata

import attrs

# ASCII and full-width digits: Chinese text often writes numbers with the latter.
_D = "[0-9\uff10-\uff19]"
_X = "[Xx\uff38\uff58]"
_SEP = "[- \u2010\u2011\u2012\u2013\u2014\uff0d]"


class PersonalDataKind(enum.StrEnum):
    """The kinds of personal data masking recognises."""

    EMAIL = "email"
    ID_CARD = "id_card"
    MOBILE = "mobile"
    LANDLINE = "landline"


@attrs.frozen
class Finding:
    """Personal data of ``kind`` at ``text[start:end]``."""

    kind: PersonalDataKind
    start: int
    end: int


# Each pattern keeps, in its groups, what a masked value still shows: (kept, hidden, kept).
_PATTERNS: tuple[tuple[PersonalDataKind, re.Pattern[str]], ...] = (
    (
        PersonalDataKind.EMAIL,
        re.compile(
            r"(?<![A-Za-z0-9._%+\-])([A-Za-z0-9])([A-Za-z0-9._%+\-]*)"
            r"(@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})(?![A-Za-z0-9\-])"
        ),
    ),
    (
        PersonalDataKind.ID_CARD,
        re.compile(rf"(?<!{_D})({_D}{{3}})({_D}{{11}})({_D}{{3}}(?:{_D}|{_X}))(?!{_D})"),
    ),
    (
        PersonalDataKind.MOBILE,
        re.compile(
            rf"(?<![0-9\uff10-\uff19+])((?:\+?86{_SEP}?)?[1\uff11][3-9\uff13-\uff19]{_D}{_SEP}?)"
            rf"({_D}{{4}})({_SEP}?{_D}{{4}})(?!{_D})"
        ),
    ),
    (
        PersonalDataKind.LANDLINE,
        re.compile(
            rf"(?<!{_D})((?:\+?86{_SEP}?)?\(?[0\uff10]{_D}{{2,3}}\)?{_SEP}?)({_D}{{5,6}})({_D}{{2}})"
            rf"(?!{_D})"
        ),
    ),
)

_WEIGHTS = tuple(2 ** (17 - i) % 11 for i in range(17))
_CHECK = "10X98765432"


def resident_id_check_digit(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 digits of a resident ID (GB 11643).

    >>> resident_id_check_digit("11010519491231002")
    'X'
    """
    total = sum(
        unicodedata.digit(char) * weight for char, weight in zip(first17, _WEIGHTS, strict=True)
    )
    return _CHECK[total % 11]


def is_resident_id(text: str) -> bool:
    """True when ``text`` is 18 characters: 17 digits and a valid check digit (or X).

    >>> is_resident_id("11010519491231002X"), is_resident_id("110105194912310021")
    (True, False)
    """
    if len(text) != 18 or not all(unicodedata.digit(c, -1) >= 0 for c in text[:17]):
        return False
    last = unicodedata.normalize("NFKC", text[17]).upper()
    return last == resident_id_check_digit(text[:17])


def find_personal_data(
    text: str, kinds: frozenset[PersonalDataKind] = frozenset(PersonalDataKind)
) -> tuple[Finding, ...]:
    """Every piece of personal data of ``kinds`` in ``text``, in order, never overlapping.

    E-mail addresses are found first, then ID numbers (only those whose check digit is
    valid), then mobile numbers (``1[3-9]`` and 9 more digits, optionally ``+86`` and
    separators), then landlines (an area code ``0`` + 2 or 3 digits, optionally in brackets
    or followed by a separator, then 7 or 8 digits).

    >>> [f.kind.value for f in find_personal_data("call 13812345678 or mail li@example.com")]
    ['mobile', 'email']
    """
    taken: list[Finding] = []
    for kind, pattern in _PATTERNS:
        if kind not in kinds:
            continue
        for match in pattern.finditer(text):
            if kind is PersonalDataKind.ID_CARD and not is_resident_id(match.group(0)):
                continue
            start, end = match.span()
            if any(start < other.end and other.start < end for other in taken):
                continue
            taken.append(Finding(kind, start, end))
    return tuple(sorted(taken, key=lambda finding: finding.start))


def mask_text(text: str, kinds: frozenset[PersonalDataKind] = frozenset(PersonalDataKind)) -> str:
    """``text`` with the personal data of ``kinds`` masked by ``*``, keeping a recognisable part.

    A mobile keeps its first 3 and last 4 digits, a landline its area code and last 2 digits,
    an ID number its first 3 and last 4 characters, an e-mail address the first character of
    its local part and its domain. Separators are kept.

    >>> mask_text("手机 138-1234-5678, 座机 010-62345678, li.ming@example.com")
    '手机 138-****-5678, 座机 010-******78, l******@example.com'
    >>> mask_text("身份证 11010519491231002X")
    '身份证 110***********002X'
    """
    findings = find_personal_data(text, kinds)
    if not findings:
        return text
    patterns = dict(_PATTERNS)
    out: list[str] = []
    position = 0
    for finding in findings:
        match = patterns[finding.kind].fullmatch(text, finding.start, finding.end)
        assert match is not None
        kept, hidden, tail = match.groups()
        out.append(text[position : finding.start])
        out.append(kept + _hide(hidden) + tail)
        position = finding.end
    out.append(text[position:])
    return "".join(out)


def _hide(text: str) -> str:
    return "".join(char if _is_separator(char) else "*" for char in text)


def _is_separator(char: str) -> bool:
    return unicodedata.category(char) in ("Pd", "Zs")
