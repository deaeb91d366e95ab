"""Where the keyboard is: a ring around whichever control has the keyboard focus.

Streamlit shows the focus on some controls only (buttons, sliders, selectboxes), and
faintly: the page menu's links only change their background (the same grey as the open
page's link), and radios, checkboxes and toggles show nothing at all, since their
``input`` is hidden and the circle or box beside it does not change. This style draws one
ring, 3 px in the app's blue, outside the element a sighted keyboard user looks at: the
link, button or picture itself, the label of a hidden radio or checkbox, the box of a text
field or selectbox. ``:focus-visible`` keeps it off after a mouse click.
"""

from __future__ import annotations

FOCUS_COLOUR = "#1f5fbf"  # 6.4:1 on white, 3.3:1 on the sidebar's grey (WCAG: 3:1)

FOCUS_CSS = f"""
<style>
a:focus-visible, button:focus-visible, summary:focus-visible,
[tabindex]:not(main):focus-visible,
label:has(input[type="radio"]:focus-visible),
label:has(input[type="checkbox"]:focus-visible),
[data-baseweb="input"]:has(input:focus-visible),
[data-baseweb="textarea"]:has(textarea:focus-visible),
div:has(> input[role="combobox"]:focus-visible) {{
  outline: 3px solid {FOCUS_COLOUR} !important; outline-offset: 2px;
}}
label:has(input[type="radio"]:focus-visible),
label:has(input[type="checkbox"]:focus-visible) {{ border-radius: 0.25rem; }}
</style>
"""
