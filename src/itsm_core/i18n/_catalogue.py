"""Loading a domain's catalogue for a language, and looking messages up in it."""

from __future__ import annotations

import gettext
import string
from importlib import resources

import attrs

from itsm_core._plain import shown
from itsm_core.errors import Problem, UnknownLanguage, ValidationError

#: The languages with catalogues, as gettext names them: English (the source) and Simplified
#: Chinese.
LANGUAGES: tuple[str, ...] = ("en", "zh_CN")

# Tags that name Simplified Chinese besides zh_CN itself (BCP 47 and POSIX spellings).
_SIMPLIFIED = {"zh", "zh_cn", "zh_hans", "zh_hans_cn", "zh_sg", "zh_hans_sg"}


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, do not translate"
    """Mark ``message`` for translation where it is defined and return it unchanged."""
    return message


def language_of(tag: str, *, path: str = "language") -> str:
    """The catalogue language for a language tag: ``"zh-CN"``, ``"zh_Hans"`` and ``"zh"`` are
    ``"zh_CN"``; any English (``"en-GB"``) is ``"en"``.

    Raises :class:`~itsm_core.errors.UnknownLanguage` (naming ``path``) for any other tag,
    including Traditional Chinese, which has no catalogue yet.

    >>> language_of("zh-Hans-CN"), language_of("EN_us")
    ('zh_CN', 'en')
    """
    if not isinstance(tag, str):
        raise UnknownLanguage(shown(tag), LANGUAGES, path=path)
    key = tag.strip().replace("-", "_").lower()
    if key in _SIMPLIFIED:
        return "zh_CN"
    if key == "en" or key.startswith("en_"):
        return "en"
    raise UnknownLanguage(tag, LANGUAGES, path=path)


def _load(language: str, domain: object) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()
    folder = resources.files(__package__).joinpath("locale", language, "LC_MESSAGES")
    valid = isinstance(domain, str) and domain.isidentifier()
    entry = folder.joinpath(f"{domain}.mo") if valid else None
    if entry is None or not entry.is_file():
        known = sorted(
            p.name.removesuffix(".mo") for p in folder.iterdir() if p.name.endswith(".mo")
        )
        problem = Problem("domain", f"no catalogue {shown(domain)} (known: {', '.join(known)})")
        raise ValidationError("message domain", [problem])
    with entry.open("rb") as stream:
        return gettext.GNUTranslations(stream)


def _fields(template: str) -> frozenset[str]:
    return frozenset(
        name for _, name, _, _ in string.Formatter().parse(template) if name is not None
    )


@attrs.frozen(eq=False)
class Messages:
    """One domain's messages in one language (see the module's introduction).

    Load it once with :meth:`load` and keep it: loading reads the compiled catalogue.
    Equality is by language and domain.
    """

    language: str
    domain: str
    _translations: gettext.NullTranslations = attrs.field(repr=False, alias="translations")

    @classmethod
    def load(cls, language: str, domain: str) -> Messages:
        """The messages of ``domain`` in ``language`` (any tag :func:`language_of` accepts)."""
        code = language_of(language)
        return cls(code, domain, translations=_load(code, domain))

    def text(self, message: str) -> str:
        """``message`` (its English text) in this language; itself when not translated."""
        return self._translations.gettext(message)

    def plural(self, singular: str, plural: str, n: int) -> str:
        """The form for ``n`` of a message with a plural (Chinese has one form)."""
        return self._translations.ngettext(singular, plural, n)

    def format(self, template: str, /, **facts: object) -> str:
        """``template`` translated, then filled with ``facts`` by name (``str.format`` fields).

        Raises :class:`~itsm_core.errors.ValidationError` naming the fields when ``facts``
        lacks one the template uses; extra facts are ignored.
        """
        translated = self.text(template)
        missing = sorted(_fields(translated) - facts.keys())
        if missing:
            raise ValidationError(
                "message facts",
                [Problem(name, f"missing for {template!r}") for name in missing],
            )
        return translated.format_map(facts)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Messages):
            return NotImplemented
        return (self.language, self.domain) == (other.language, other.domain)

    def __hash__(self) -> int:
        return hash((self.language, self.domain))
