"""Message templates as data: a subject and a body per moment and language, with ``{fields}``."""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from itsm_core._plain import as_mapping, check_keys, join, shown, text
from itsm_core.errors import InvalidTemplate, Problem, UnknownLanguage
from itsm_core.i18n import LANGUAGES, Messages, language_of

from ._moments import DEFAULT_TEXTS, FIELDS, Moment

#: The catalogue (gettext domain) of the default templates.
DOMAIN = "communications"


def template_problems(template: object, moment: Moment, path: str) -> list[Problem]:
    """What is wrong with one template text of ``moment`` at ``path``: not a non-blank
    string, broken braces, a field that is not a plain ``{name}`` (``{a.b}``, ``{a[0]}``,
    ``{a!r}``, ``{a:>9}``, ``{}`` and ``{0}`` are refused: a template must never reach into
    the objects behind its facts), or a field the moment does not offer."""
    problems: list[Problem] = []
    found = text(template, path, problems)
    if found is None:
        return problems
    try:
        parsed = list(string.Formatter().parse(found))
    except ValueError as exc:
        return [Problem(path, f"not a template: {exc}")]
    offered = FIELDS[moment]
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            shown_field = "{" + name + (f"!{conversion}" if conversion else "")
            shown_field += (f":{spec}" if spec else "") + "}"
            problems.append(Problem(path, f"field {shown_field} is not a plain {{name}} field"))
        elif name not in offered:
            problems.append(
                Problem(
                    path,
                    f"unknown field {{{name}}} for {moment.value} "
                    f"(offered: {', '.join(sorted(offered))})",
                )
            )
    return problems


@attrs.frozen
class Template:
    """The subject and body of one moment in one language; ``{fields}`` are the moment's
    facts (:data:`FIELDS`). Checked by :class:`Templates`, which knows the moment."""

    subject: str
    body: str

    def render(self, facts: Mapping[str, str]) -> tuple[str, str]:
        """The subject and body with ``facts`` filled in (only plain fields exist here)."""
        return self.subject.format_map(facts), self.body.format_map(facts)


def _frozen(value: Mapping[tuple[Moment, str], Template]) -> Mapping[tuple[Moment, str], Template]:
    return MappingProxyType(dict(value))


@attrs.frozen
class Templates:
    """Every template by moment and language (a catalogue language: ``"zh_CN"``, ``"en"``).

    Build it from plain data with :meth:`from_dict` (every problem listed with its path, e.g.
    ``delay_notice.zh_CN.body``), or take :meth:`default`, the texts of the ``communications``
    message catalogue in every shipped language.

    >>> templates = Templates.default()
    >>> templates.get(Moment.DELAY_NOTICE, "zh-CN").subject
    '您的请求 {reference} 将延迟处理'
    >>> Templates.from_dict({"acknowledgement": {"en": {"subject": "{ticket.id}", "body": "x"}}})
    Traceback (most recent call last):
    ...
    itsm_core.errors.InvalidTemplate: invalid message template set: 1 problem
      - acknowledgement.en.subject: field {ticket.id} is not a plain {name} field
    """

    by_key: Mapping[tuple[Moment, str], Template] = attrs.field(converter=_frozen)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        for (moment, language), template in self.by_key.items():
            path = f"{moment.value}.{language}"
            if language not in LANGUAGES:
                problems.append(Problem(path, f"unknown language {shown(language)}"))
            problems.extend(template_problems(template.subject, moment, f"{path}.subject"))
            problems.extend(template_problems(template.body, moment, f"{path}.body"))
        if problems:
            raise InvalidTemplate("set", problems)

    @classmethod
    def default(cls) -> Templates:
        """The built-in templates: English, and every catalogue language's translation."""
        found: dict[tuple[Moment, str], Template] = {}
        for language in LANGUAGES:
            messages = Messages.load(language, DOMAIN)
            for moment, (subject, body) in DEFAULT_TEXTS.items():
                found[moment, language] = Template(messages.text(subject), messages.text(body))
        return cls(found)

    def get(self, moment: Moment, language: str) -> Template:
        """The template of ``moment`` in ``language`` (any tag :func:`language_of` accepts);
        :class:`~itsm_core.errors.InvalidTemplate` when the set has none."""
        code = language_of(language)
        found = self.by_key.get((Moment(moment), code))
        if found is None:
            raise InvalidTemplate("set", [Problem(f"{Moment(moment).value}.{code}", "no template")])
        return found

    def __iter__(self) -> Iterator[tuple[Moment, str]]:
        return iter(self.by_key)

    def merged(self, other: Templates) -> Templates:
        """These templates with ``other``'s replacing them where both have one."""
        return Templates({**self.by_key, **other.by_key})

    def to_dict(self) -> dict[str, Any]:
        """Plain data: ``{moment: {language: {"subject": ..., "body": ...}}}``."""
        data: dict[str, Any] = {}
        for (moment, language), template in sorted(self.by_key.items()):
            data.setdefault(moment.value, {})[language] = {
                "subject": template.subject,
                "body": template.body,
            }
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, base: Templates | None = None) -> Templates:
        """Load :meth:`to_dict` data (languages as any tag), over ``base`` when given (e.g.
        :meth:`default`, to replace a few); :class:`~itsm_core.errors.InvalidTemplate` lists
        every problem with its path."""
        problems: list[Problem] = []
        found: dict[tuple[Moment, str], Template] = {} if base is None else dict(base.by_key)
        moments = as_mapping(data, "", problems) or {}
        for moment_name, languages in moments.items():
            try:
                moment = Moment(moment_name)
            except ValueError:
                known = ", ".join(m.value for m in Moment)
                problems.append(Problem(moment_name, f"unknown moment (known: {known})"))
                continue
            for tag, texts in (as_mapping(languages, moment_name, problems) or {}).items():
                path = join(moment_name, tag)
                try:
                    language = language_of(tag, path=path)
                except UnknownLanguage as exc:
                    problems.extend(exc.problems)
                    continue
                pair = as_mapping(texts, path, problems)
                if pair is None:
                    continue
                check_keys(pair, path, ("subject", "body"), (), problems)
                subject, body = pair.get("subject"), pair.get("body")
                before = len(problems)
                for key, value in (("subject", subject), ("body", body)):
                    if key in pair:
                        problems.extend(template_problems(value, moment, join(path, key)))
                if len(problems) == before and isinstance(subject, str) and isinstance(body, str):
                    found[moment, language] = Template(subject, body)
        if problems:
            raise InvalidTemplate("set", problems)
        return cls(found)
