"""Content written in Danish with an optional English version beside it (``title`` and ``title_en``).

The secretariat writes the partnership's content in Danish; the English version
is entered beside it and may be missing. A reader of the English site gets the
English text where there is one and the Danish text otherwise, and the page
marks that text ``lang="da"`` (WCAG 2.1 3.1.2) with the ``lang_attr`` filter.

A field pair, not a translation library: the content has exactly one optional
second language, the Danish text is the one adopted and legally binding, and
the open data publishes both side by side under stable names.
"""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import get_language

CONTENT_LANGUAGE = "da"
"""The language the content is adopted in, and the fallback."""

TRANSLATION_LANGUAGES = ("en",)
"""The languages a field may have a version in, beside Danish: ``<field>_<language>``."""


class LocalText(str):
    """A text with the language it is written in, which may differ from the page's."""

    lang: str

    def __new__(cls, text: str, lang: str) -> "LocalText":
        value = super().__new__(cls, text)
        value.lang = lang
        return value


def page_language() -> str:
    """The language of the page being written (``da``, ``en`` …)."""
    return (get_language() or CONTENT_LANGUAGE).split("-")[0]


def reading_language(language: str | None = None) -> str:
    """The language content is read in: the given one or the active one, as a content language."""
    code = (language or page_language()).split("-")[0]
    return code if code in TRANSLATION_LANGUAGES else CONTENT_LANGUAGE


def _value(source: Any, name: str) -> str:
    if isinstance(source, Mapping):
        return source.get(name) or ""
    return getattr(source, name, "") or ""


def translated(source: Any, field: str, language: str | None = None) -> LocalText:
    """``field`` of a model instance or a row (a dict from ``values()``) in the reader's language.

    The translation where it is written, the Danish text otherwise; ``.lang`` says which.
    """
    wanted = reading_language(language)
    if wanted != CONTENT_LANGUAGE:
        text = _value(source, f"{field}_{wanted}").strip()
        if text:
            return LocalText(text, wanted)
    return LocalText(_value(source, field), CONTENT_LANGUAGE)


def has_translation(source: Any, field: str, language: str) -> bool:
    return bool(_value(source, f"{field}_{language}").strip())


class Reader:
    """``obj.tr.title``: the field in the reader's language (see ``translated``)."""

    __slots__ = ("_source",)

    def __init__(self, source: Any) -> None:
        self._source = source

    def __getattr__(self, field: str) -> LocalText:
        return translated(self._source, field)

    def __getitem__(self, field: str) -> LocalText:
        return translated(self._source, field)


class Translatable:
    """A model whose content fields have an English version beside them (``<field>_en``)."""

    translated_fields: tuple[str, ...] = ()

    @property
    def tr(self) -> Reader:
        return Reader(self)

    def translation_missing(self, language: str = "en") -> list[str]:
        """The content fields with Danish text and no version in the language."""
        return [
            name
            for name in self.translated_fields
            if _value(self, name).strip() and not has_translation(self, name, language)
        ]
