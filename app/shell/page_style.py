"""Page-wide styling: less empty space at the top, so a projected page shows more.

On a phone Streamlit's header (the sidebar button) covers the top ~3.5rem of the page, so
narrow screens keep enough top padding for the title to clear it.

The style travels in the title's own element: an HTML element holding the style and the
page's ``h1`` (styled as Streamlit's title). Sent as an element of its own, the style
applied 0.3-0.7 s after a new session had drawn the title (the HTML element's code comes
late), so the title jumped ~50 px left and, under load, pictures drawn before it grew by
~10%. Sent as markdown with the title, it made a new session's first map ~0.15 s later
in two runs of three. ``--cs-page-style`` marks the moment the style applies, for
anything that measures the page (the browser tests wait for it).
"""

import html

import streamlit as st

from app.widgets.controls.focus_ring import FOCUS_CSS

from .presenter import presenter_css
from .streamlit_internals import (
    CAPTION,
    MAIN_BLOCK,
    PRIMARY_BUTTON,
    SELECTED_TAG,
    SIDEBAR_CONTENT,
    SIDEBAR_HEADER,
    WIDGET_LABEL,
)

_CSS = f"""
<style>
{MAIN_BLOCK} {{
  padding: 1.2rem 2.2rem 2rem 2.2rem; max-width: none; --cs-page-style: applied;
}}
@media (max-width: 640px) {{
  {MAIN_BLOCK} {{ padding: 4rem 1rem 2rem 1rem; }}
  h1 {{ font-size: 2rem !important; }}
}}
{SIDEBAR_HEADER} {{ height: 2.2rem; padding-top: 0.5rem; }}
{SIDEBAR_CONTENT} {{ padding-top: 0; }}
h1 {{ padding-top: 0.2rem !important; }}
h1.cs-title {{ font-size: 2.75rem; line-height: 1.2; margin: 0; padding-bottom: 0; }}
/* Text at 4.5:1 at least (WCAG 2.1 AA) in either theme: Streamlit draws a disabled
   control's label at 40% and code in a caption in a pale green; they take the text's
   own colour (the control itself stays greyed). */
{WIDGET_LABEL}[disabled] {{ color: inherit; }}
{CAPTION} code {{ color: inherit; }}
/* The dark theme (the system's choice picks it) has a light accent, so the accent is
   readable as text on the dark page (6.9:1); labels drawn on the accent (primary
   buttons, chosen tags) are dark on it (7.5:1) instead of Streamlit's white (2.4:1). */
@media (prefers-color-scheme: dark) {{
  {PRIMARY_BUTTON}, {PRIMARY_BUTTON} p, {SELECTED_TAG}, {SELECTED_TAG} span {{
    color: #0e1117 !important; }}
}}
/* A reader who asks the system for less motion gets no sliding or fading. */
@media (prefers-reduced-motion: reduce) {{
  *, *::before, *::after {{ animation-duration: 0.01ms !important;
    animation-iteration-count: 1 !important; transition-duration: 0.01ms !important;
    scroll-behavior: auto !important; }}
}}
p.cs-menu-section {{ font-size: 0.85rem; font-weight: 600; margin: 0.6rem 0 0 0; }}
</style>
"""


def min_height_css(container_key: str, height_rem: float) -> str:
    """A page style rule: the container made with ``st.container(key=container_key)`` is
    at least ``height_rem`` tall, even before its elements are drawn."""
    return f"<style>.st-key-{container_key} {{ min-height: {height_rem}rem; }}</style>"


def styled_title(title: str, page_css: str = "") -> None:
    """The page's title as a level-1 heading, with the page style (the presenter's, when
    presenting, and the page's own ``page_css``) in the same element."""
    title_html = f'<h1 class="cs-title">{html.escape(title)}</h1>'
    st.html(f"{_CSS}{FOCUS_CSS}{presenter_css()}{page_css}{title_html}")
