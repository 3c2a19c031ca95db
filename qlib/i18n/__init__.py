"""Every visible string of the app, in Japanese and English, from one place.

Each submodule holds `STRINGS = {"en": {...}, "ja": {...}}` with keys prefixed by its own name
(`explorer.title`, ...). A new page adds a module and one entry to `MODULES`.
"""

from __future__ import annotations

import string
from importlib import import_module

LANGS = ("ja", "en")
LANG_NAMES = {"ja": "日本語", "en": "English"}

# the registry: one module per page (plus `common`), in the order they were added
MODULES = ("common", "home", "preprocess", "explorer", "ste", "int8", "pytorch", "qat", "predict")


def _load() -> dict[str, dict[str, str]]:
    """Merge the submodules' tables into one {lang: {key: text}}; a key outside its module's prefix is a bug."""
    table: dict[str, dict[str, str]] = {lang: {} for lang in LANGS}
    for name in MODULES:
        strings = import_module(f"{__name__}.{name}").STRINGS
        for lang in LANGS:
            for key, text in strings[lang].items():
                if not key.startswith(name + "."):
                    raise KeyError(f"{name}.py defines {key!r}: keys must start with {name + '.'!r}")
                table[lang][key] = text
    return table


STRINGS = _load()


def t(key: str, lang: str, **fmt) -> str:
    """The text for `key` in `lang` (English if the language is unknown), with `{placeholders}` filled in.

    A missing key shows the key itself, so a gap is visible on the page instead of crashing it.
    """
    table = STRINGS.get(lang, STRINGS["en"])
    text = table.get(key, STRINGS["en"].get(key, key))
    return text.format(**fmt) if fmt else text


def default_lang(locale: str | None) -> str:
    """Japanese for a browser locale 'ja' or 'ja-*', English for anything else."""
    tag = (locale or "").strip().lower().replace("_", "-")
    return "ja" if tag == "ja" or tag.startswith("ja-") else "en"


def placeholders(text: str) -> set[str]:
    """The `{names}` a string expects, for the test that both languages ask for the same ones."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
