"""ConvScope: the router. Each page lives in app/app_pages/."""

import streamlit as st

from app.components.page_style import apply_page_style
from app.components.warm_start import is_warm, warm_start

st.set_page_config(page_title="ConvScope", page_icon=":material/grid_on:", layout="wide")
if not is_warm():
    # Only the first visit after the server starts waits for PyTorch (a few seconds).
    with st.spinner("Starting ConvScope: loading PyTorch, a few seconds on the first visit..."):
        warm_start()

pages = [
    st.Page(
        "app_pages/convolution.py", title="Convolution", icon=":material/blur_on:", default=True
    ),
    st.Page("app_pages/pooling.py", title="Pooling", icon=":material/grid_view:"),
    st.Page("app_pages/layer_stack.py", title="Layer stack", icon=":material/layers:"),
    st.Page(
        "app_pages/receptive_field.py",
        title="Receptive field",
        icon=":material/center_focus_strong:",
    ),
    st.Page("app_pages/network.py", title="Network", icon=":material/neurology:"),
]
apply_page_style()
st.navigation(pages).run()
