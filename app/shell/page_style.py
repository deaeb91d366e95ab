"""Page-wide styling: less empty space at the top, so a projected page shows more."""

import streamlit as st

_CSS = """
<style>
[data-testid="stMainBlockContainer"] {
  padding: 1.2rem 2.2rem 2rem 2.2rem; max-width: none;
}
[data-testid="stSidebarHeader"] { height: 2.2rem; padding-top: 0.5rem; }
[data-testid="stSidebarUserContent"] { padding-top: 0; }
h1 { padding-top: 0.2rem !important; }
</style>
"""


def apply_page_style() -> None:
    st.html(_CSS)
