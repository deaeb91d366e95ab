"""Keyboard shortcuts for a presenter: arrow keys and a clicker's page keys.

Presentation clickers send PageDown / PageUp; keyboards have the arrow keys. This
invisible element (Streamlit components v2, in the page itself) listens for them
anywhere on the page, except while the user types in a field, and reports "next" or
"previous" to the callbacks the page gives.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

_JS = """
export default function (component) {
  window.convscopeShortcuts = component;  // the latest mount receives the keys
  if (window.convscopeShortcutsReady) return;
  window.convscopeShortcutsReady = true;
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const typing = target && (target.isContentEditable ||
      ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
    if (typing || event.altKey || event.ctrlKey || event.metaKey) return;
    const keys = window.convscopeShortcuts.data.keys;
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    window.convscopeShortcuts.setTriggerValue("key", { action, at: Date.now() });
  });
}
"""

_component = st.components.v2.component(
    "convscope_shortcuts", html="<span></span>", js=_JS, isolate_styles=False
)
KEYS = {"ArrowRight": "next", "PageDown": "next", "ArrowLeft": "previous", "PageUp": "previous"}


def shortcuts(*, key: str, on_next: Callable[[], None], on_previous: Callable[[], None]):
    """Listen for next / previous keys; the callbacks run before the page reruns."""

    def pressed() -> None:
        value = st.session_state.get(key)
        event = value.get("key") if hasattr(value, "get") else None
        action = event.get("action") if isinstance(event, dict) else None
        if action == "next":
            on_next()
        elif action == "previous":
            on_previous()

    _component(key=key, data={"keys": KEYS}, on_key_change=pressed, width="content")
