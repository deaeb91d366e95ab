"""Page-wide styling: less empty space at the top, so a projected page shows more.

On a phone Streamlit's header (the sidebar button) covers the top ~3.5rem of the page, so
narrow screens keep enough top padding for the title to clear it.

The style travels inside the title's own element. Sent as an element of its own, it
applied 0.3-0.7 s after a new session had drawn the title (the HTML element's code comes
late), so the title jumped ~50 px left and, under load, pictures drawn before it grew by
~10%. Inside the title, the title cannot show without it. ``--cs-page-style`` marks the
moment it applies, for anything that measures the page (the browser tests wait for it).
"""

import streamlit as st

from .presenter import presenter_css

_CSS = """
<style>
[data-testid="stMainBlockContainer"] {
  padding: 1.2rem 2.2rem 2rem 2.2rem; max-width: none; --cs-page-style: applied;
}
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding: 4rem 1rem 2rem 1rem; }
  h1 { font-size: 2rem !important; }
}
[data-testid="stSidebarHeader"] { height: 2.2rem; padding-top: 0.5rem; }
[data-testid="stSidebarUserContent"] { padding-top: 0; }
h1 { padding-top: 0.2rem !important; }
</style>
"""


def styled_title(title: str) -> None:
    """The page's title as a level-1 heading, with the page style (and the presenter's, when
    presenting) in the same element."""
    st.markdown(f"{_CSS}{presenter_css()}\n\n# {title}", unsafe_allow_html=True)
