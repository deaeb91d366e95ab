"""The app's pages: the menu in the sidebar, and by URL path for code that sends the user
to another page with chosen settings (the lesson's "open the full page", a student
following the teacher)."""

from __future__ import annotations

import base64
import copy
import functools
import html
import json
from pathlib import Path

import streamlit as st

from .streamlit_internals import SLIDER, SLIDER_SHOWN_VALUES
from .url_state import APPLY_URL_KEY, GLOBAL_PARAMS

MENU_KEY = "cs_page_menu"

_pages: dict[str, object] = {}  # url path -> st.Page, registered by the router


_made: dict[tuple, object] = {}  # st.Page by its arguments, made once per process

ICON = Path(__file__).resolve().parents[2] / "assets" / "icon.png"


@functools.cache
def icon_data_url() -> str:
    """The app's icon as a data URL, read and encoded once per process. A local picture:
    a Material icon as page icon is fetched by each browser from Google. A data URL (600
    characters): given a file, Streamlit opens it as a picture and stores it again in
    every run of every session (~1 ms)."""
    return "data:image/png;base64," + base64.b64encode(ICON.read_bytes()).decode()


def app_page(script: str, **options) -> st.Page:
    """``st.Page(script, **options)`` for this run. Making one looks its file up on disk
    (~0.2 ms a page, 18 pages in every run of every session); the page is made once per
    process and each run gets its own copy, because ``st.navigation`` marks the page it
    picks as runnable on the object and ``run`` unmarks it."""
    key = (script, tuple(sorted(options.items())))
    made = _made.get(key)
    if made is None:
        made = _made[key] = st.Page(script, **options)
    return copy.copy(made)


def register_pages(pages: list) -> None:
    _pages.clear()
    _pages.update({page.url_path: page for page in pages})


def known_page(url_path: str) -> bool:
    return url_path in _pages


def open_page(url_path: str, params: dict, *, here: str | None = None) -> None:
    """Switch to the page at ``url_path`` showing exactly ``params`` (its other settings
    at their defaults), whatever this session last chose there. Called before the page
    runs with ``here``, the page about to run: if it is the same page, this run takes the
    settings itself instead of starting another run."""
    keep = {k: v for k, v in st.query_params.to_dict().items() if k in GLOBAL_PARAMS}
    st.session_state[APPLY_URL_KEY] = True
    if url_path == here:
        st.query_params.from_dict({**params, **keep})
        return
    st.switch_page(_pages[url_path], query_params={**params, **keep})


# Marks for screen readers, set in the browser on every page: the current page's link
# gets aria-current="page" and the menu is a navigation landmark (Streamlit's own sidebar
# menu fails axe's list rules, and ``st.page_link`` has no way to say which page is open;
# Streamlit draws the skip link to the main content itself). And sliders are named once:
# Streamlit 1.67 names a slider's input twice (``aria-label`` plus ``aria-labelledby`` on
# the input and its group: "Stride Stride") and reads the value above the thumb and the
# track's two ends as loose paragraphs after it ("2", "1", "8"); the input keeps its
# ``aria-label`` (its value is its ``aria-valuetext``) and the shown numbers are hidden
# from the accessibility tree, not from the eye.
_MARKS = """<script>
(() => {
  window.convscopeCurrentPage = %(current)s;
  const apply = () => {
    for (const slider of document.querySelectorAll(%(slider)s)) {
      const input = slider.querySelector('input[type="range"]');
      if (input && input.hasAttribute("aria-label") && input.hasAttribute("aria-labelledby"))
        input.removeAttribute("aria-labelledby");
      for (const shown of slider.querySelectorAll(%(slider_shown)s))
        if (shown.getAttribute("aria-hidden") !== "true") shown.setAttribute("aria-hidden", "true");
    }
    const menu = document.querySelector(%(menu)s);
    if (!menu) return;
    if (menu.getAttribute("role") !== "navigation") {
      menu.setAttribute("role", "navigation");
      menu.setAttribute("aria-label", "Pages");
    }
    for (const link of menu.querySelectorAll("a")) {
      const path = (link.getAttribute("href") || "").split("?")[0].replace(/^\\/+|\\/+$/g, "");
      const here = path === window.convscopeCurrentPage;
      if (here && link.getAttribute("aria-current") !== "page") {
        link.setAttribute("aria-current", "page");
      } else if (!here && link.hasAttribute("aria-current")) {
        link.removeAttribute("aria-current");
      }
    }
  };
  if (!window.convscopeMarks) {  // links drawn later (or redrawn) are marked as they come
    window.convscopeMarks = true;
    let queued = false;
    new MutationObserver(() => {
      if (!queued) { queued = true; requestAnimationFrame(() => { queued = false; apply(); }); }
    }).observe(document.body, { childList: true, subtree: true });
  }
  apply();
})();
</script>"""


def page_menu(sections: dict[str, list], current_url_path: str) -> None:
    """The app's pages, by section, as links in the sidebar: every page one Tab away,
    the open one marked for screen readers (``aria-current``) as well as by its look;
    the page's sliders named once (``_MARKS``)."""
    with st.container(key=MENU_KEY):
        for section, pages in sections.items():
            st.html(f'<p class="cs-menu-section">{html.escape(section)}</p>')
            for page in pages:
                st.page_link(page, label=page.title, icon=page.icon)
        marks = {
            "current": json.dumps(current_url_path),
            "menu": json.dumps(f".st-key-{MENU_KEY}"),
            "slider": json.dumps(SLIDER),
            "slider_shown": json.dumps(SLIDER_SHOWN_VALUES),
        }
        st.html(_MARKS % marks, unsafe_allow_javascript=True)
