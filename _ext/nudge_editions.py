"""Sphinx hooks for the book's four editions: English at the site's root, each translation under
its tag (`ko/`, `zh-Hans/`, `zh-Hant/`; the editions are `nudge.i18n.EDITIONS`).

`python -m tools.editions` builds a translated edition with Sphinx's `language` set and the page
catalogs of `locales/` (myst-nb translates a notebook's Markdown through them); this extension
does the rest, in every edition, English too:

- **`<html lang>`** is the edition's BCP 47 tag (`zh-Hant`, not Sphinx's `zh_TW`).
- **A language switcher on every page** (`_ext/templates/nudge-editions.html`, in the article's
  header) opens the same page in each edition, and `<link rel="alternate" hreflang>` names them
  for search engines. A page of an edition whose translation isn't published yet
  (`locales/published.yml`) says so above its text.
- **The words code shows** (questions, explorers) are translated in the reader's browser from the
  edition's runtime catalog, which is written here as `_static/nudge-messages.<tag>.json`
  (`nudge.i18n.site_catalog`; `nudge/web/nudge-i18n.js` loads it): the executed outputs are
  English and shared by every edition.
- **Search**: Korean gets a splitter Sphinx lacks (`SearchKorean`: a word's particle or ending is
  cut off, so 미분은 and 미분을 are found as 미분); Chinese uses Sphinx's own, which segments with jieba.
- **The 404 page** links into its own edition.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import urlparse

import yaml
from sphinx.search import SearchLanguage
from sphinx.search.en import js_porter_stemmer

from nudge import i18n, settings

HERE = Path(__file__).resolve().parent
PUBLISHED = HERE.parent / "locales" / "published.yml"
GLOSSARY = HERE.parent / "locales" / "glossary.yml"
#: the switcher's template (in `_ext/templates`) and style
SWITCHER = "nudge-editions.html"
STYLE = "nudge-editions.css"


def edition_of(app) -> i18n.Edition:
    language = app.config.language
    return i18n.ENGLISH if not language or language == "en" else i18n.edition(language)


def published(locale: str) -> set[str]:
    """The pages whose translation into `locale` is published (complete and checked)."""
    table = yaml.safe_load(PUBLISHED.read_text(encoding="utf-8")) or {}
    return set(table.get(locale) or ())


# --- the switcher, hreflang and <html lang> ------------------------------------------------------


def site_root(app) -> str:
    """The English edition's published address, e.g. https://nudge-book.github.io/nudge/."""
    base = settings.base_url() or app.config.html_baseurl or "/"
    edition = edition_of(app)
    if edition != i18n.ENGLISH and base.rstrip("/").endswith("/" + edition.tag):
        base = base.rstrip("/")[: -len(edition.tag)]
    return base if base.endswith("/") else base + "/"


def edition_links(app, pagename: str) -> list[dict]:
    """Each edition's copy of `pagename`: its relative link from this page, its address, its names."""
    here = edition_of(app)
    up = "../" * pagename.count("/")
    english_root = up + ("" if here == i18n.ENGLISH else "../")
    page = f"{pagename}{app.builder.link_suffix}"
    links = []
    for edition in (i18n.ENGLISH, *i18n.EDITIONS):
        folder = "" if edition == i18n.ENGLISH else f"{edition.tag}/"
        links.append(
            {
                "tag": edition.tag,
                "name": edition.name,
                "href": english_root + folder + page,
                "url": site_root(app) + folder + page,
                "current": edition == here,
            }
        )
    return links


def page_context(app, pagename, templatename, context, doctree):
    edition = edition_of(app)
    context["language"] = edition.tag  # the theme writes it into <html lang>
    if pagename == app.config.notfound_pagename:
        context["nudge_editions"] = []  # its links are absolute already; a switcher would need them too
        return
    links = edition_links(app, pagename)
    context["nudge_editions"] = links
    context["nudge_edition"] = edition
    context["nudge_editions_label"] = i18n.gettext(i18n.LANGUAGE, edition)
    alternates = [
        f'<link rel="alternate" hreflang="{link["tag"]}" href="{html.escape(link["url"])}">' for link in links
    ]
    alternates.append(f'<link rel="alternate" hreflang="x-default" href="{html.escape(links[0]["url"])}">')
    context["metatags"] = context.get("metatags", "") + "\n" + "\n".join(alternates)
    if edition != i18n.ENGLISH and doctree is not None and pagename not in published(edition.locale):
        note = i18n.gettext(i18n.UNTRANSLATED, edition)
        context["body"] = f'<p class="nudge-untranslated" role="note">{html.escape(note)}</p>\n' + context["body"]


def translate_toctree_captions(app, doctree):
    """The table of contents' captions (Chapters, Exercises, …) in the edition's language: sphinx-external-toc
    adds the toctrees after Sphinx translated the page, so Sphinx never translates their captions itself."""
    from sphinx import addnodes
    from sphinx.locale import init as init_locale
    from sphinx.util.i18n import docname_to_domain

    if edition_of(app) == i18n.ENGLISH:
        return
    toctrees = [node for node in doctree.findall(addnodes.toctree) if node.get("caption")]
    if not toctrees:
        return
    folders = [str(Path(app.srcdir) / folder) for folder in app.config.locale_dirs]
    domain = docname_to_domain(app.env.docname, app.config.gettext_compact)
    catalog, _ = init_locale(folders, app.config.language, domain)
    for node in toctrees:
        translated = catalog.gettext(node["caption"])
        if translated != node["caption"]:
            node["caption"] = translated
            node["translated"] = True


def untranslated_in_published_pages(app, doctree):
    """A paragraph of a published page still in English (no translation, or a stale one) fails the build."""
    from sphinx.util import logging
    from sphinx.util.nodes import extract_messages

    edition = edition_of(app)
    if edition == i18n.ENGLISH or app.env.docname not in published(edition.locale):
        return
    from docutils import nodes

    logger = logging.getLogger(__name__)
    for node, message in extract_messages(doctree):
        if isinstance(node, nodes.image):
            # Sphinx translates an alt text without marking it: in these editions' scripts, English is Latin letters
            english = message.isascii()
        else:
            english = not node.get("translated")
        if english and i18n.has_words(message):
            logger.warning(
                "published in %s but not translated (or its translation is stale): %r; run `python -m tools.catalogs`"
                " and translate it in locales/%s/LC_MESSAGES/%s.po",
                edition.tag,
                message[:80],
                edition.locale,
                app.env.docname,
                location=node,
                type="nudge",
                subtype="untranslated",
            )


def add_switcher(app, config):
    """The switcher goes first among the article header's buttons, on every page."""
    options = dict(config.html_theme_options)
    end = list(options.get("article_header_end") or ["article-header-buttons.html"])
    if SWITCHER not in end:
        options["article_header_end"] = [SWITCHER, *end]
    config.html_theme_options = options
    config.html_static_path = [*config.html_static_path, str(HERE / "editions_static")]
    app.add_css_file(STYLE)


# --- the runtime catalog, for the front ends -----------------------------------------------------


def runtime_catalog_name(edition: i18n.Edition) -> str:
    return f"nudge-messages.{edition.tag}.json"


def write_runtime_catalog(app, exception):
    edition = edition_of(app)
    if exception is not None or edition == i18n.ENGLISH or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / runtime_catalog_name(edition)
    words = i18n.site_catalog(edition.locale)
    target.write_text(json.dumps(words, ensure_ascii=False, sort_keys=True), encoding="utf-8")


# --- the 404 page --------------------------------------------------------------------------------


def edition_404(app, config):
    """sphinx-notfound-page's links start with the edition's own path (after `nudge_site` set them)."""
    edition = edition_of(app)
    if edition == i18n.ENGLISH:
        return
    root = urlparse(site_root(app)).path or "/"
    prefix = f"{root}{edition.tag}/"
    config.notfound_urls_prefix = prefix
    context = dict(config.notfound_context)
    context["body"] = (
        context["body"].replace(f'href="{root}', f'href="{prefix}').replace(f'action="{root}', f'action="{prefix}')
    )
    config.notfound_context = context


# --- search in Chinese: jieba, told the glossary's words ------------------------------------------


def glossary_terms(locale: str) -> list[str]:
    """The glossary's renderings of every term in `locale`."""
    table = yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))["terms"]
    return sorted({word for entry in table.values() for word in entry.get(locale, ())})


def chinese_words(app, config):
    """jieba segments with the glossary's words as words: 導數 stays whole in 估計導數 (its own dictionary is
    mainland Simplified Chinese, and splits Taiwan's Traditional terms)."""
    edition = edition_of(app)
    if not edition.locale.startswith("zh"):
        return
    words = Path(app.doctreedir) / "jieba-glossary.txt"
    words.parent.mkdir(parents=True, exist_ok=True)
    # a frequency high enough that jieba keeps each term whole
    words.write_text("".join(f"{word} 100000\n" for word in glossary_terms(edition.locale) if " " not in word))
    config.html_search_options = {**(config.html_search_options or {}), "dict": str(words)}


# --- search in Korean ----------------------------------------------------------------------------

#: what follows a Korean word and is cut off when it is indexed or searched (longest first): the
#: particles (은/는, 이/가, 을/를, 의, 에, 에서, 으로, …) and the endings of 하다 verbs made from nouns
#: (미분하면 → 미분); a word keeps at least two syllables (정의, 평가 stay whole)
KOREAN_ENDINGS = tuple(
    sorted(
        (
            "에서는 으로는 에서도 에게는 이라는 이라고 입니다 합니다 됩니다 하였다 "
            "에서 에게 까지 부터 으로 처럼 보다 이나 이며 이고 이다 이란 라는 라고 "
            "하면 하는 하고 하여 해서 했다 한다 된다 되는 되면 하기 "
            "은 는 이 가 을 를 의 에 와 과 도 만 로 란 나 며 고"
        ).split(),
        key=len,
        reverse=True,
    )
)
HANGUL = re.compile(r"[\uac00-\ud7a3]")
KOREAN_JS = """
const KOREAN_ENDINGS = __ENDINGS__;
const PorterStemmer = Stemmer;
Stemmer = function () {
  const porter = new PorterStemmer();
  this.stemWord = (word) => {
    if (!/[\\uac00-\\ud7a3]/.test(word)) return porter.stemWord(word);
    for (const ending of KOREAN_ENDINGS) {
      if (word.endsWith(ending) && word.length - ending.length >= 2) return word.slice(0, -ending.length);
    }
    return word;
  };
};
"""


class SearchKorean(SearchLanguage):
    """Korean for Sphinx's search: words split at spaces and punctuation, each cut to its stem.

    >>> korean = SearchKorean({})
    >>> [korean.stem(w) for w in korean.split("미분은 편미분을 정의, 도함수를 Derivatives")]
    ['미분', '편미분', '정의', '도함수', 'deriv']
    """

    lang = "ko"
    language_name = "Korean"
    js_stemmer_code = js_porter_stemmer + KOREAN_JS.replace("__ENDINGS__", json.dumps(KOREAN_ENDINGS))
    stopwords: set[str] = set()

    def init(self, options) -> None:
        import snowballstemmer

        self.porter = snowballstemmer.stemmer("english")

    def split(self, input: str) -> list[str]:
        return re.findall(r"\w+", input)

    def stem(self, word: str) -> str:
        if not HANGUL.search(word):
            return self.porter.stemWord(word.lower())
        for ending in KOREAN_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 2:
                return word[: -len(ending)]
        return word


def setup(app):
    app.add_search_language(SearchKorean)
    app.connect("config-inited", chinese_words)
    app.connect("config-inited", add_switcher)
    # after `nudge_site.configure_404` (950)
    app.connect("config-inited", edition_404, priority=960)
    app.connect("html-page-context", page_context)
    # before Sphinx's table-of-contents collector (500) copies the toctrees
    app.connect("doctree-read", translate_toctree_captions, priority=400)
    app.connect("doctree-read", untranslated_in_published_pages)
    app.connect("build-finished", write_runtime_catalog)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
