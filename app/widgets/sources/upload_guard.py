"""Tells the page when the browser refused a file for being over the upload limit.

Streamlit's uploader refuses such a file in the browser and marks it with a red icon
whose reason shows only on hover; the server never hears of it, so the page cannot say
anything. This invisible element (Streamlit components v2, mounted in the page itself)
watches the page's file inputs and drops, and reports the size of a file over the limit,
so the page can say it where the user is looking. It sends only a size, never the file.

Each guard watches the uploaders whose keys it is given and compares a file with their
own limit, so a page whose model files may be larger than its pictures says the right
limit for each. (Streamlit marks a keyed element with the class ``st-key-<key>``.)

A report reruns the page, so the guard reports only a change: a file within the limit is
reported only when a refusal is on the page to take back. (Reporting every file reran the
whole page at the moment each upload began, beside the uploader's own rerun once the
file is in; under load that rerun's start could lose the server's answer to the upload,
see ``streamlit_internals.keep_upload_answers``.)
"""

from __future__ import annotations

import re

import streamlit as st

_JS = """
export default function (component) {
  // Each uploader's key -> the latest mount of the guard that watches it.
  const guards = (window.convscopeUploadGuards = window.convscopeUploadGuards || {});
  for (const key of component.data.watches) guards[key] = component;
  if (window.convscopeUploadGuardReady) return;
  window.convscopeUploadGuardReady = true;
  const guardOf = (target) => {
    const holder = target && target.closest && target.closest("[class*='st-key-']");
    const name = holder && [...holder.classList].find((c) => c.startsWith("st-key-"));
    return name ? guards[name.slice(7)] : undefined;
  };
  const report = (target, files) => {
    const guard = guardOf(target);
    if (!guard || !files || !files.length) return;
    const limit = guard.data.limit;
    const big = [...files].find((file) => file.size > limit);
    // Nothing to say about a file within the limit unless a refusal is shown.
    if (big || guard.data.refused) guard.setStateValue("refused", big ? big.size : null);
  };
  document.addEventListener("change", (event) => {
    if (event.target && event.target.type === "file") report(event.target, event.target.files);
  }, true);
  document.addEventListener("drop", (event) => {
    if (event.dataTransfer) report(event.target, event.dataTransfer.files);
  }, true);
}
"""

_component = st.components.v2.component(
    "convscope_upload_guard", html="<span></span>", js=_JS, isolate_styles=False
)


def upload_guard(*, key: str, limit_mb: int, watches: tuple[str, ...]) -> None:
    """Watch the uploaders keyed ``watches``, whose limit is ``limit_mb``;
    ``refused_upload(key)`` then describes a file the browser refused."""
    _component(
        key=key,
        data={
            "limit": limit_mb * 1024 * 1024,
            "refused": refused_upload(key) is not None,
            "watches": [_class_key(name) for name in watches],
        },
        default={"refused": None},
        on_refused_change=lambda: None,
        width="content",
    )


def refused_upload(key: str) -> str | None:
    """ "The file you chose (25.3 MB)" when the browser refused one, else None."""
    value = st.session_state.get(key)
    size = value.get("refused") if hasattr(value, "get") else None
    if not isinstance(size, (int, float)) or size <= 0:
        return None
    return f"The file you chose ({size / 1e6:.1f} MB)"  # decimal MB, as the uploader shows


def _class_key(key: str) -> str:
    """A widget key as it appears in its element's ``st-key-`` class (Streamlit's frontend
    turns every character other than letters, digits, ``_`` and ``-`` into ``-``)."""
    return re.sub(r"[^a-zA-Z0-9_-]", "-", key.strip())
