"""ConvScope: the router. Each page lives in app/app_pages/<section>/; around every page
the shell adds presenter mode, the class session and the share link."""

from pathlib import Path

import streamlit as st

from app.shell import classroom
from app.shell.navigation import register_pages
from app.shell.paint_first import sidebar_after_map
from app.shell.presenter import is_presenting, keep_presenting_in_link, presenter_toggle
from app.shell.share import share_panel
from app.shell.warm_start import settle, warm_torch

# A local picture: a Material icon as page icon is fetched by each browser from Google.
ICON = Path(__file__).resolve().parents[1] / "assets" / "icon.png"
st.set_page_config(
    page_title="ConvScope",
    page_icon=str(ICON),
    layout="wide",
    initial_sidebar_state="collapsed" if is_presenting() else "auto",
)

CONVOLUTION = st.Page(
    "app_pages/basics/convolution.py", title="Convolution", icon=":material/blur_on:", default=True
)
POOLING = st.Page("app_pages/basics/pooling.py", title="Pooling", icon=":material/grid_view:")
BASICS = [
    CONVOLUTION,
    POOLING,
    st.Page("app_pages/basics/layer_stack.py", title="Layer stack", icon=":material/layers:"),
    st.Page(
        "app_pages/basics/receptive_field.py",
        title="Receptive field",
        icon=":material/center_focus_strong:",
    ),
]
UNDER_THE_HOOD = [
    st.Page(
        "app_pages/under_the_hood/matrix.py",
        title="Convolution as matrix",
        icon=":material/table_chart:",
    ),
    st.Page(
        "app_pages/under_the_hood/properties.py",
        title="Properties lab",
        icon=":material/science:",
    ),
    st.Page(
        "app_pages/under_the_hood/channels.py",
        title="Channels and groups",
        icon=":material/view_in_ar:",
    ),
    st.Page(
        "app_pages/under_the_hood/transposed.py",
        title="Transposed convolution",
        icon=":material/open_in_full:",
    ),
    st.Page(
        "app_pages/under_the_hood/signals.py",
        title="1-D convolution",
        icon=":material/show_chart:",
    ),
]
NETWORKS = [
    st.Page("app_pages/networks/network.py", title="Digit network", icon=":material/neurology:"),
    st.Page(
        "app_pages/networks/real_networks.py",
        title="Real networks",
        icon=":material/photo_camera:",
    ),
    st.Page("app_pages/networks/training.py", title="Training", icon=":material/trending_up:"),
    st.Page("app_pages/networks/own_classes.py", title="Your classes", icon=":material/category:"),
]
CLASSROOM = [
    st.Page("app_pages/classroom/lesson.py", title="Lesson", icon=":material/school:"),
    st.Page("app_pages/classroom/quiz.py", title="Quiz", icon=":material/quiz:"),
    st.Page("app_pages/classroom/compare.py", title="Compare images", icon=":material/compare:"),
    st.Page("app_pages/classroom/live_camera.py", title="Live camera", icon=":material/videocam:"),
]
# Pages that run PyTorch; the others never load it.
TORCH_PAGES = {"receptive_field", "network", "real_networks", "training", "own_classes"}

keep_presenting_in_link()
SECTIONS = {
    "Convolution and pooling": BASICS,
    "Under the hood": UNDER_THE_HOOD,
    "Networks": NETWORKS,
    "Classroom": CLASSROOM,
}
register_pages([page for pages in SECTIONS.values() for page in pages])
current = st.navigation(SECTIONS, expanded=True)
classroom.note_current_page(current.url_path)
classroom.join_from_link()
classroom.following_banner()
if current.url_path in TORCH_PAGES:
    warm_torch()
# Pages that draw their map first: a new session's sidebar comes after it (paint_first).
MAP_FIRST = (CONVOLUTION, POOLING)
with sidebar_after_map(any(current is page for page in MAP_FIRST)):
    current.run()
    with st.sidebar:
        st.divider()
        presenter_toggle()
        share_panel(current.url_path)
        classroom.class_panel()
        if problem := classroom.join_error():
            st.error(problem)
settle(current.url_path)
