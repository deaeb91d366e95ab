"""ConvScope: the router. Each page lives in app/app_pages/."""

import streamlit as st

from app.app_pages import convolution
from app.components.page_style import apply_page_style

st.set_page_config(page_title="ConvScope", page_icon=":material/grid_on:", layout="wide")

pages = [
    st.Page(
        convolution.page,
        title="Convolution",
        icon=":material/blur_on:",
        url_path="convolution",
        default=True,
    ),
]
apply_page_style()
st.navigation(pages).run()
