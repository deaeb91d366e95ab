"""A cookie set (or cleared) in the user's browser, for what must survive a reload but
never appear in the address.

Streamlit reads cookies (``st.context.cookies``, sent when the page connects) but has no
way to set one; this invisible element (Streamlit components v2) sets it from the page.
The cookie is strict same-site and covers the whole app.
"""

from __future__ import annotations

import streamlit as st

_JS = """
export default function (component) {
  const { name, value, maxAge } = component.data;
  const life = value === null ? "Max-Age=0" : `Max-Age=${maxAge}`;
  document.cookie = `${name}=${value === null ? "" : value}; Path=/; ${life}; SameSite=Strict`;
}
"""

_component = st.components.v2.component(
    "convscope_cookie", html="<span></span>", js=_JS, isolate_styles=False
)


def set_cookie(name: str, value: str | None, *, max_age_s: int, key: str) -> None:
    """Set cookie ``name`` to ``value`` (URL-safe text) for ``max_age_s`` seconds, or clear
    it when ``value`` is None."""
    _component(key=key, data={"name": name, "value": value, "maxAge": max_age_s}, width="content")
