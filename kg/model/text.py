"""Vietnamese text normalisation: one key for every way a name can be typed.

Plans type the same name in many ways: composed (NFC) or decomposed (NFD)
Unicode, the old or new tone-mark placement (``Hòa``/``Hoà``, ``hóa``/``hoá``,
``thủy``/``thuỷ``), any case, runs of spaces or non-breaking spaces.
:func:`clean` keeps a name as written (NFC, single spaces) for output;
:func:`name_key` folds every such variant onto one comparison key.

>>> name_key("Ủy ban  nhân dân") == name_key("uỷ ban\u00a0nhân dân")
True
>>> clean("Ho\u0300a  Lạc")
'Hòa Lạc'
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["clean", "name_key", "other_tone_style", "slug", "strip_diacritics", "strip_markup"]

_SPACE = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
# Combining tone marks (grave, acute, hook above, tilde, dot below).
_TONES = "\u0300\u0301\u0309\u0303\u0323"
# Old style puts the tone on the first vowel of oa/oe/uy ("hòa", "thủy");
# new style on the second ("hoà", "thuỷ").  The key always uses the new style.
_OLD_TONE = re.compile(rf"([oOuU])([{_TONES}])([aAeEyY])(?![\w])")
_NEW_TONE = re.compile(rf"([oOuU])([aAeEyY])([{_TONES}])(?![\w])")
_TAGS = re.compile(r"</?[a-zA-Z][^<>]*>")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_STAR = re.compile(r"(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)")


@lru_cache(maxsize=1 << 16)
def clean(text: str) -> str:
    """Return *text* in NFC with whitespace (including NBSP) collapsed and trimmed.

    >>> clean("  Sở\u00a0Nội   vụ ")
    'Sở Nội vụ'
    """
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


@lru_cache(maxsize=1 << 16)
def strip_markup(text: str) -> str:
    """Remove HTML tags and Markdown emphasis a table cell may carry.

    ``<br>`` becomes a space; ``<b>``, ``**`` and ``*`` disappear.

    >>> strip_markup("<b>I</b>")
    'I'
    >>> strip_markup("**Đơn vị<br>chủ trì**")
    'Đơn vị chủ trì'
    """
    if "<" not in text and "*" not in text and "_" not in text:
        return clean(text)  # no markup: most cells
    text = _BR.sub(" ", text)
    text = _TAGS.sub("", text)
    text = text.replace("**", "").replace("__", "")
    text = _STAR.sub("", text)
    return clean(text)


@lru_cache(maxsize=1 << 16)
def name_key(text: str) -> str:
    """Return the comparison key of a name: NFC, new-style tones, casefolded, one space.

    The key has the same length as ``clean(text)`` so positions found in the
    key are positions in the cleaned text.

    >>> name_key("Khu Công nghệ cao Hòa Lạc") == name_key("khu công nghệ cao hoà lạc")
    True
    >>> name_key("thủy") == name_key("thuỷ")
    True
    """
    text = clean(text)
    decomposed = unicodedata.normalize("NFD", text)
    decomposed = _OLD_TONE.sub(r"\1\3\2", decomposed)
    key = unicodedata.normalize("NFC", decomposed).lower()
    if len(key) != len(text):  # pragma: no cover - no Vietnamese letter changes length
        return text.lower()
    return key


def other_tone_style(text: str) -> str:
    """Return *text* with the tones of its final oa/oe/uy placed the other way, in NFC: old style
    becomes new, or, where there is none, new style becomes old (how two typists write one name).

    >>> other_tone_style("Sở Văn hóa"), other_tone_style("Sở Văn hoá")
    ('Sở Văn hoá', 'Sở Văn hóa')
    >>> name_key(other_tone_style("Khu Công nghệ cao Hòa Lạc")) == name_key("Khu Công nghệ cao Hòa Lạc")
    True
    """
    nfd = unicodedata.normalize("NFD", text)
    swapped = _OLD_TONE.sub(r"\1\3\2", nfd)
    if swapped == nfd:
        swapped = _NEW_TONE.sub(r"\1\3\2", nfd)
    return unicodedata.normalize("NFC", swapped)


def strip_diacritics(text: str) -> str:
    """Return *text* without diacritics (``đ`` becomes ``d``), for slugs and loose search.

    >>> strip_diacritics("Sở Nội vụ Đà Nẵng")
    'So Noi vu Da Nang'
    """
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("đ", "d").replace("Đ", "D")


def slug(text: str) -> str:
    """Return an ASCII slug for identifiers: lower case, diacritics removed, dashes.

    >>> slug("Sở Nội vụ")
    'so-noi-vu'
    >>> slug("30-CTr/TU")
    '30-ctr-tu'
    """
    text = strip_diacritics(clean(text)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")
