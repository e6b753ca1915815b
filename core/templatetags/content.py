"""``{% load content %}``: content in the reader's language, marked with its own language where it differs."""

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from core.translated import LocalText, page_language, translated

register = template.Library()


@register.filter
def tr(source: Any, field: str) -> LocalText:
    """``{{ row|tr:"title" }}``: a field of an instance or a ``values()`` row in the reader's language."""
    return translated(source, field)


@register.filter
def lang_attr(value: Any) -> SafeString:
    """`` lang="da"`` when the text is in another language than the page, else nothing.

    ``<h1{{ version.tr.title|lang_attr }}>{{ version.tr.title }}</h1>``
    """
    if not str(value).strip():
        return SafeString("")
    return lang_code_attr(getattr(value, "lang", ""))


@register.filter
def in_lang(value: Any) -> SafeString:
    """The text escaped, in a ``<span lang="da">`` when it is in another language than the page.

    For text inside a translated sentence: ``{% blocktranslate with title=version.tr.title|in_lang %}``.
    """
    attr = lang_attr(value)
    if not attr:
        return format_html("{}", value)
    return format_html("<span{}>{}</span>", attr, value)


@register.filter
def lang_code_attr(code: str) -> SafeString:
    """`` lang="da"`` when the language code differs from the page's: ``<p{{ change.lang|lang_code_attr }}>``."""
    if not code or code == page_language():
        return SafeString("")
    return format_html(' lang="{}"', code)
