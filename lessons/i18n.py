"""Every visible string of the app, in Japanese and English, from one place: each lesson's `strings.py`.

`lessons/<page>/strings.py` holds `STRINGS = {"en": {...}, "ja": {...}}` with the page's own short keys
(`"title"`, `"fig.grid"`); `lessons/common/strings.py` holds what every page shares. The full key of a string
is `<page>.<key>` (`scale_and_zero_point.title`, `common.formula`). A page reads its strings through a
`Translator` bound to its page id, so it writes `T("title")` and `T("common.formula")`.
"""

from __future__ import annotations

import numbers
import re
import string
from collections.abc import Iterable
from importlib import import_module

from lessons.common.text import minus

LANGS = ("ja", "en")
LANG_NAMES = {"ja": "日本語", "en": "English"}

# the registry: `common` and one namespace per page, named after the page file (pages/2_Scale_and_zero_point.py)
NAMESPACES = (
    "common",
    "home",
    "preprocess",
    "scale_and_zero_point",
    "ste",
    "qat_training",
    "predict",
    "integer_inference",
    "pytorch_and_tensorflow",
    "why_defaults",
)


# In Japanese a number and its counter are one word: "8 ビット" with a no-break space, so a line never ends at
# "8" and starts the next with "ビット" (seen on the QAT page at 1280). Written with a plain space in the tables.
JA_COUNTER = re.compile(r"(?<=[0-9}]) (?=ビット|個|位|ページ|エポック|ステップ|ポイント|倍|枚|回|点)")
PERCENT = re.compile(r"(?<=[0-9}]) (?=%)")  # "97.22 %" as one word, in both languages


def _load() -> dict[str, dict[str, str]]:
    """Merge every namespace's table into one {lang: {full key: text}}."""
    table: dict[str, dict[str, str]] = {lang: {} for lang in LANGS}
    for ns in NAMESPACES:
        strings = import_module(f"lessons.{ns}.strings").STRINGS
        for lang in LANGS:
            for key, text in strings[lang].items():
                text = PERCENT.sub("\u00a0", text)
                table[lang][f"{ns}.{key}"] = JA_COUNTER.sub("\u00a0", text) if lang == "ja" else text
    return table


STRINGS = _load()


class _Text(string.Formatter):
    """`str.format` for running text: a number put in gets a real minus sign (U+2212), as lessons.common.text
    writes one; a string put in (code, a name, a number the caller formatted) is left as it is."""

    def format_field(self, value: object, format_spec: str) -> str:
        out = super().format_field(value, format_spec)
        return minus(out) if _numeric(value) else out


def _numeric(value: object) -> bool:
    """A number, or a list or tuple of numbers (a pixel's codes): not a bool, not a string."""
    if isinstance(value, list | tuple):
        return bool(value) and all(_numeric(v) for v in value)
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


_TEXT = _Text()


def t(key: str, lang: str, **fmt) -> str:
    """The text for a full key in `lang` (English if the language is unknown), with `{placeholders}` filled in.

    A missing key shows the key itself, so a gap is visible on the page instead of crashing it.
    """
    table = STRINGS.get(lang, STRINGS["en"])
    text = table.get(key, STRINGS["en"].get(key, key))
    return _TEXT.vformat(text, (), fmt) if fmt else text


class Translator:
    """`T("title")` in a page's namespace, `T("common.formula")` from the shared one; `T.lang` is the language."""

    def __init__(self, lang: str, namespace: str = "common") -> None:
        self.lang, self.namespace = lang, namespace

    def full_key(self, key: str) -> str:
        """The key as the string table knows it: common keys as they are, the others under the namespace."""
        return key if key.startswith("common.") else f"{self.namespace}.{key}"

    def __call__(self, key: str, **fmt) -> str:
        return t(self.full_key(key), self.lang, **fmt)

    def join(self, *sentences: str) -> str:
        """Sentences one after another: a space between them in English, none after a Japanese 。."""
        return ("" if self.lang == "ja" else " ").join(s for s in sentences if s)

    def listed(self, items: Iterable[str]) -> str:
        """Items of a list in running text: "a, b, c" in English, 「a、b、c」 in Japanese (its list comma)."""
        return ("、" if self.lang == "ja" else ", ").join(items)


def default_lang(locale: str | None) -> str:
    """Japanese for a browser locale 'ja' or 'ja-*', English for anything else."""
    tag = (locale or "").strip().lower().replace("_", "-")
    return "ja" if tag == "ja" or tag.startswith("ja-") else "en"


def placeholders(text: str) -> set[str]:
    """The `{names}` a string expects, for the test that both languages ask for the same ones."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
