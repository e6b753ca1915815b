"""Text helpers: URL slugs that spell out the Danish (and Nordic) letters instead of dropping them."""

from collections.abc import Callable

from django.utils.text import slugify

# "Grøn indkøbspolitik" -> "groen-indkoebspolitik", never "grn-indkbspolitik".
NORDIC_LETTERS = str.maketrans(
    {"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa", "ð": "d", "þ": "th", "Þ": "Th"}
)


def transliterate(text: str) -> str:
    """The text with æ, ø, å (and ð, þ) written out in ASCII letters."""
    return text.translate(NORDIC_LETTERS)


def ascii_slug(text: str, *, max_length: int | None = None) -> str:
    """A lower-case ASCII slug of the text, at most ``max_length`` characters."""
    slug = slugify(transliterate(text))
    return slug[:max_length] if max_length else slug


def unique_slug(base: str, *, taken: Callable[[str], bool]) -> str:
    """``base``, or ``base-2``, ``base-3`` … : the first that ``taken`` says is free."""
    slug, n = base, 2
    while taken(slug):
        slug, n = f"{base}-{n}", n + 1
    return slug
