"""Page-wide styling: less empty space at the top, so a projected page shows more.

On a phone Streamlit's header (the sidebar button) covers the top ~3.5rem of the page, so
narrow screens keep enough top padding for the title to clear it.

The style reaches the browser with the page's first elements, but a new session paints
the title (and, under load, pictures) before it: until then the page has Streamlit's
wider margins and its pictures are ~10% narrower. ``--cs-page-style`` marks the moment it
applies, for anything that measures the page (the browser tests wait for it).
"""

import streamlit as st

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


def apply_page_style() -> None:
    st.html(_CSS)
