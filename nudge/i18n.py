"""The book's editions, and the words code shows a reader in the reader's language.

One source, four editions: English (the source text) and one per entry of `EDITIONS`. Prose is
translated by Sphinx's gettext (page catalogs in `locales/`); what code shows a reader (a
question's words, an explorer's caption, labels and alt text) comes from one runtime catalog per
language, `nudge/locales/<locale>/LC_MESSAGES/nudge.po`, keyed by the English text (gettext's
msgid). `python -m tools.catalogs` writes both from the source.

Where the words are translated:

- **In Jupyter** Python translates before anything reaches the widget (`gettext`, `localise`).
  The language is, in this order: `NUDGE_LANG` (`nudge.settings`), else the language the
  notebook's own metadata names (`metadata.nudge.language`: each edition's notebooks carry it, so
  one downloaded alone speaks its language; Jupyter Server tells the kernel which notebook it
  runs; in Colab, which names no file, the notebook its front end shows, by its metadata or else
  its Markdown's script: `nudge.colab`), else the file `.nudge-lang` in the kernel's working
  folder or a folder above it (each edition's notebook folder has one, so code cells stay
  identical across editions), else English.
- **On the website** the pages' outputs are executed once, in English, and shared by every
  edition; `nudge/web/nudge-i18n.js` translates them as they are shown, from the edition's
  catalog (`site_catalog`, served as `_static/nudge-messages.<tag>.json`), chosen by `<html lang>`.
  A check's line on a solutions page is rendered in the edition's language as the edition is
  built, from the message data beside its text (`MESSAGE_MIME`, `nudge.site_outputs`).

A text the catalog lacks, or whose translation is empty or marked fuzzy, is shown in English.

>>> edition("zh_TW").tag, edition("zh-Hant").locale, edition("KO").name
('zh-Hant', 'zh_TW', '한국어')
>>> gettext("Check", ENGLISH)
'Check'
"""

from __future__ import annotations

import functools
import os
import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from nudge import settings
from nudge.tex import inline_html, spoken


@dataclass(frozen=True)
class Edition:
    """One edition of the book: its gettext locale, its BCP 47 tag (`<html lang>`, `hreflang`, the
    site's folder) and its name in its own language (the language switcher)."""

    locale: str
    tag: str
    name: str


ENGLISH = Edition("en", "en", "English")
#: the translated editions, in the switcher's order; the site serves each under `<tag>/`
EDITIONS = (
    Edition("ko", "ko", "한국어"),
    Edition("zh_CN", "zh-Hans", "简体中文"),
    Edition("zh_TW", "zh-Hant", "繁體中文"),
)
#: the runtime catalogs' gettext domain, and where they live (inside the package: Colab and
#: JupyterLite install the package, not the repository)
DOMAIN = "nudge"
#: the domain of what an exercise's check tells a student (`nudge.checks`: `Message` templates)
CHECKS_DOMAIN = "checks"
#: the MIME type of a `Message`'s data in a notebook's output (`Message.data`): the website renders it in
#: each edition's language
MESSAGE_MIME = "application/vnd.nudge.message+json"
LOCALES = Path(__file__).resolve().parent / "locales"
#: the file that names an edition's language for the notebooks in its folder
MARKER = ".nudge-lang"
#: where a notebook names its edition's language: `metadata[METADATA][METADATA_LANGUAGE]`
METADATA = "nudge"
METADATA_LANGUAGE = "language"
#: the website's own words around the pages (`_ext/nudge_editions.py`): the language switcher, and
#: the note on a page of an edition whose translation isn't published yet (`locales/published.yml`)
LANGUAGE = "Language"
UNTRANSLATED = "This page is not translated yet: it is shown in English where its translation is missing."
#: the words of the site's 404 page (`_ext/nudge_site.py`); `{contents}` is the link to the front page
NOT_FOUND = {
    "title": "Page not found",
    "gone": "There is no page at this address: it may have moved, or the link has a typo.",
    "again": "Start again from {contents}, or search the book:",
    "contents": "the contents",
    "search": "Search the book",
    "go": "Search",
}
#: the search field's placeholder (sphinx-book-theme's `search_bar_text`, a theme option: `tools/editions.py`)
SEARCH_BAR = "Search this book..."
#: the fold around each answer on a solutions page (`_ext/nudge_solutions.py`)
SOLUTION_FOLD = {"show": "Show the solution", "hide": "Hide the solution"}
SITE_MESSAGES = (LANGUAGE, UNTRANSLATED, SEARCH_BAR, *NOT_FOUND.values(), *SOLUTION_FOLD.values())


#: text worth translating has a word in it: two letters in a row outside math ("ε", "x" and formulas are not)
WORDS = re.compile(r"[^\W\d_]{2,}")


def has_words(text: str) -> bool:
    """Whether `text` holds words to translate (not only mathematics, symbols or numbers).

    >>> has_words("ε"), has_words("$x^2$"), has_words(r"f'(x) = \\lim_{h \\to 0} h"), has_words("Shrink ε")
    (False, False, False, True)
    """
    return bool(WORDS.search(re.sub(r"\\[A-Za-z]+|\$[^$]*\$", "", text)))


def edition(code: str) -> Edition:
    """The edition of a locale (`zh_CN`) or tag (`zh-Hans`), in any letter case; `en` is English."""
    wanted = str(code).strip().replace("_", "-").lower()
    for known in (ENGLISH, *EDITIONS):
        if wanted in (known.locale.replace("_", "-").lower(), known.tag.lower()):
            return known
    names = ", ".join(f"{e.tag} ({e.locale})" for e in (ENGLISH, *EDITIONS))
    raise ValueError(f"no edition of the book is in the language {code!r}; the editions are {names}")


def catalog_path(locale: str, domain: str = DOMAIN) -> Path:
    return LOCALES / locale / "LC_MESSAGES" / f"{domain}.po"


def language(environ: Mapping | None = None, cwd: str | os.PathLike | None = None) -> Edition:
    """The edition this session shows: `NUDGE_LANG`, else the language the notebook's metadata names (where
    Jupyter Server names the notebook) or that of the notebook Colab shows, else the nearest `.nudge-lang` file,
    else English."""
    chosen = settings.language(environ)
    if chosen:
        return edition(chosen)
    notebook = settings.session_notebook(environ)
    if notebook is not None and notebook.suffix == ".ipynb" and notebook.is_file():
        named = _named(notebook.resolve(), notebook.stat().st_mtime_ns)
        if named is not None:
            return named
    shown = _shown_in_colab()
    if shown is not None:
        return shown
    return _marked(Path(cwd or Path.cwd()).resolve())


def notebook_language(notebook: Mapping) -> Edition | None:
    """The edition a notebook (nbformat JSON) is in: what its metadata names, else what its Markdown is written in.

    The second is for a notebook whose metadata a front end dropped (Colab keeps what it knows of a
    notebook's metadata, not necessarily ours): an edition's Markdown is all its own language's.
    """
    metadata = notebook.get("metadata")
    code = metadata.get(METADATA, {}).get(METADATA_LANGUAGE) if isinstance(metadata, dict) else None
    if code:
        return edition(code)
    cells = [cell for cell in notebook.get("cells") or [] if isinstance(cell, dict)]
    markdown = [cell.get("source") or "" for cell in cells if cell.get("cell_type") == "markdown"]
    return written_in("".join("".join(source) for source in markdown))


#: characters written one way in Simplified Chinese and another in Traditional (common in the book's text)
_PAIRS = (
    "这這 们們 个個 为為 数數 导導 点點 说說 时時 对對 会會 学學 习習 来來 现現 过過 还還 问問 题題 应應 实實 经經 种種"
    " 样樣 总總 发發 给給 将將 变變 线線 图圖 计計 输輸 层層 网網 络絡 练練 参參 开開 关關 让讓 从從 两兩 长長 与與"
    " 级級 间間 结結 么麼 并並 单單 则則 条條 处處 边邊 换換 无無"
)
_SIMPLIFIED, _TRADITIONAL = zip(*_PAIRS.split(), strict=True)
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def written_in(text: str) -> Edition | None:
    """The translated edition whose script `text` is written in, or None (English, or too little to tell).

    Korean by its Hangul; Chinese by which of the characters Simplified and Traditional write
    differently it uses more.

    >>> [written_in(t) and written_in(t).tag for t in ("도함수는 기울기다", "这是导数", "這是導數", "the derivative")]
    ['ko', 'zh-Hans', 'zh-Hant', None]
    """
    if len(HANGUL.findall(text)) >= 2:
        return edition("ko")
    simplified = sum(text.count(c) for c in _SIMPLIFIED)
    traditional = sum(text.count(c) for c in _TRADITIONAL)
    if simplified == traditional:
        return None
    return edition("zh_CN" if simplified > traditional else "zh_TW")


@functools.cache
def _shown_in_colab() -> Edition | None:
    """In Colab, the language of the notebook its front end shows (asked once per kernel); elsewhere None."""
    from nudge import colab

    shown = colab.shown_notebook()
    return notebook_language(shown) if shown is not None else None


@functools.lru_cache(maxsize=16)
def _named(notebook: Path, mtime_ns: int) -> Edition | None:
    """The edition the notebook's metadata names, if any (read once per version of the file)."""
    import json

    try:
        metadata = json.loads(notebook.read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, ValueError):
        return None  # not a notebook this can read: JupyterLab will say so when it opens it
    code = metadata.get(METADATA, {}).get(METADATA_LANGUAGE) if isinstance(metadata, dict) else None
    if not code:
        return None
    try:
        return edition(code)
    except ValueError as exc:
        raise ValueError(f"{notebook}, metadata.{METADATA}.{METADATA_LANGUAGE}: {exc}") from None


@functools.lru_cache(maxsize=16)
def _marked(folder: Path) -> Edition:
    """The language the nearest `.nudge-lang` at or above `folder` names (looked up once per folder)."""
    for place in (folder, *folder.parents):
        marker = place / MARKER
        if marker.is_file():
            try:
                return edition(marker.read_text(encoding="utf-8"))
            except ValueError as exc:
                raise ValueError(f"{marker}: {exc}") from None
    return ENGLISH


@functools.cache
def catalog(locale: str, domain: str = DOMAIN) -> dict[str, str]:
    """The runtime catalog of `locale` (of `domain`): English text -> its translation, translated entries only."""
    path = catalog_path(locale, domain)
    if not path.is_file():
        return {}
    from babel.messages.pofile import read_po  # only where a translated edition is shown

    with open(path, "rb") as source:
        entries = read_po(source, locale=locale)
    return {m.id: m.string for m in entries if m.id and isinstance(m.id, str) and m.string and not m.fuzzy}


def gettext(text: str, lang: Edition | None = None, domain: str = DOMAIN) -> str:
    """`text` in the session's language (or `lang`'s), or as it is where no translation exists."""
    lang = lang or language()
    if lang == ENGLISH or not text:
        return text
    return catalog(lang.locale, domain).get(text, text)


class Message:
    """A sentence (or a fragment of one) code shows a reader, translated when it is shown.

    The template is the English text with named `str.format` fields; each field is formatted with
    its spec as the message is made, except a field that is itself a `Message` (a fragment), which
    is rendered in the same language as the whole. `render(lang)` (or `str()`, in the session's
    language) looks the template up in the `domain` catalog (`CHECKS_DOMAIN` unless told) and puts
    the formatted fields into the translation by name: a translation may reorder them, and keep or
    drop their specs. A template with no translation, an empty or a fuzzy one is shown in English.

    >>> length = Message("{name} has length {length:.4g}.", name="v", length=1.41421356)
    >>> str(length)
    'v has length 1.414.'
    >>> kind = Message("a unit vector of {count} numbers", count=2)
    >>> Message("{name}: expected {kind}.", name="v", kind=kind).render(ENGLISH)
    'v: expected a unit vector of 2 numbers.'
    >>> expected = Message("{name}: expected {kind}.", name="v", kind=kind)
    >>> expected.data()["fields"]
    {'name': 'v', 'kind': {'text': 'a unit vector of {count} numbers', 'fields': {'count': '2'}}}
    >>> Message.from_data(expected.data()) == expected
    True
    """

    __slots__ = ("domain", "fields", "template")

    def __init__(self, template: str, /, *, domain: str = CHECKS_DOMAIN, **fields) -> None:
        if not isinstance(template, str):
            raise TypeError(f"a message's template is a string, got {type(template).__name__}")
        formatter = string.Formatter()
        formatted: dict[str, str | Message] = {}
        specs: dict[str, tuple] = {}
        for name, spec, conversion in _fields(template):
            if name not in fields:
                raise ValueError(f"the message {template!r} has the field {{{name}}}, which was not given")
            if specs.setdefault(name, (spec, conversion)) != (spec, conversion):
                raise ValueError(f"the message {template!r} formats {{{name}}} in two ways: give each its own name")
            value = fields[name]
            if isinstance(value, Message):
                if spec or conversion:
                    raise ValueError(f"the message {template!r}: the fragment {{{name}}} takes no format spec")
                formatted[name] = value
            else:
                formatted[name] = format(formatter.convert_field(value, conversion) if conversion else value, spec)
        unused = set(fields) - set(formatted)
        if unused:
            raise ValueError(f"the message {template!r} has no field {sorted(unused)}")
        self.template, self.fields, self.domain = template, formatted, domain

    def render(self, lang: Edition | str | None = None) -> str:
        """The message in `lang` (an edition, a locale or a tag), by default the session's language."""
        lang = edition(lang) if isinstance(lang, str) else lang or language()
        translated = gettext(self.template, lang, self.domain)
        try:
            return self._substitute(translated, lang)
        except (ValueError, KeyError):  # a translation that lost or misspelled a field: the English instead
            return self._substitute(self.template, lang)

    def _substitute(self, template: str, lang: Edition) -> str:
        parts = []
        for literal, name, _spec, _conversion in string.Formatter().parse(template):
            parts.append(literal)
            if name is not None:
                value = self.fields[name]
                parts.append(value.render(lang) if isinstance(value, Message) else value)
        return "".join(parts)

    def __str__(self) -> str:
        return self.render()

    def data(self) -> dict:
        """The message as JSON-able data (`MESSAGE_MIME`): the template, and each field's text or data."""
        fields = {name: value.data() if isinstance(value, Message) else value for name, value in self.fields.items()}
        found = {"text": self.template, "fields": fields}
        return found if self.domain == CHECKS_DOMAIN else {**found, "domain": self.domain}

    @classmethod
    def literal(cls, text: str, /, *, domain: str = CHECKS_DOMAIN) -> Message:
        """A message of `text` as written, braces and all (a notebook's own `hint=`), with no fields.

        >>> Message.literal("a set {1, 2}").template
        'a set {{1, 2}}'
        """
        return cls(text.replace("{", "{{").replace("}", "}}"), domain=domain)

    @classmethod
    def from_data(cls, data: Mapping) -> Message:
        """The message `data()` gave (its fields are already formatted)."""
        message = cls.__new__(cls)
        message.template, message.domain = data["text"], data.get("domain", CHECKS_DOMAIN)
        message.fields = {
            name: cls.from_data(value) if isinstance(value, Mapping) else str(value)
            for name, value in data["fields"].items()
        }
        missing = set(field_names(message.template)) - set(message.fields)
        if missing:
            raise ValueError(f"the message {message.template!r} has no value for {sorted(missing)}")
        return message

    def _key(self) -> tuple:
        return (self.template, self.domain, tuple(sorted(self.fields.items())))

    def __eq__(self, other) -> bool:
        return isinstance(other, Message) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        fields = "".join(f", {name}={value!r}" for name, value in self.fields.items())
        return f"Message({self.template!r}{fields})"


def _fields(template: str) -> list[tuple[str, str, str | None]]:
    """The `(name, spec, conversion)` of each field of a template; a field must have a name."""
    found = []
    for _literal, name, spec, conversion in string.Formatter().parse(template):
        if name is None:
            continue
        if not name.isidentifier():
            raise ValueError(f"the message {template!r}: a field is a name, like {{name}}, not {{{name}}}")
        if "{" in (spec or ""):
            raise ValueError(f"the message {template!r}: a field's format spec is fixed, not another field")
        found.append((name, spec or "", conversion))
    return found


def field_names(template: str) -> list[str]:
    """The names of a template's fields, in the order they first appear.

    >>> field_names("{name} has length {length:.4g}, not {{1}}; {name} is a vector.")
    ['name', 'length']
    """
    return list(dict.fromkeys(name for name, _, _ in _fields(template)))


def html_forms(text: str) -> tuple[str, ...]:
    """The forms a text takes in a front end's configuration: as written, as HTML (a question's
    words) and as spoken (an option's aria-label); the site's catalog holds each of them."""
    return (text, inline_html(text), spoken(text))


@functools.cache
def site_catalog(locale: str) -> dict[str, str]:
    """The catalog a front end looks its configuration's words up in: every form of each entry."""
    found: dict[str, str] = {}
    for english, translated in catalog(locale).items():
        for key, value in zip(html_forms(english), html_forms(translated), strict=True):
            found.setdefault(key, value)
    return found


def localise(config, lang: Edition | None = None):
    """A front end's configuration with every word the catalog knows translated (a copy).

    A string is translated when it is a key of the catalog, or a `"; "`-joined list of keys (the
    answer of a question with several right options); everything else (ids, numbers, names) stays.
    `nudge-i18n.js` does the same on the website.
    """
    lang = lang or language()
    if lang == ENGLISH:
        return config
    words = site_catalog(lang.locale)
    return _walk(config, lambda text: _translate(text, words))


def _translate(text: str, words: Mapping[str, str]) -> str:
    if text in words:
        return words[text]
    parts = text.split("; ")
    if len(parts) > 1 and all(part in words for part in parts):
        return "; ".join(words[part] for part in parts)
    return text


def _walk(value, translate: Callable[[str], str]):
    if isinstance(value, str):
        return translate(value)
    if isinstance(value, Mapping):
        return {key: _walk(item, translate) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_walk(item, translate) for item in value)
    return value


__all__ = [
    "EDITIONS",
    "ENGLISH",
    "MESSAGE_MIME",
    "Edition",
    "Message",
    "edition",
    "gettext",
    "language",
    "localise",
    "site_catalog",
]
