"""ConvScope: the router. The pages are listed in app/app_pages/registry.py; around every
page the shell adds presenter mode, the class session and the share link."""

import streamlit as st

from app.app_pages import registry
from app.shell.class_session import classroom
from app.shell.navigation import app_page, icon_data_url, page_menu, register_pages
from app.shell.page_frame import fixed_slot
from app.shell.paint_first import sidebar_after_map
from app.shell.palette import keep_palette_in_link, palette_toggle, use_chosen_palette
from app.shell.presenter import is_presenting, keep_presenting_in_link, presenter_toggle
from app.shell.share import share_panel
from app.shell.streamlit_internals import keep_upload_answers, rerun_lost_fragments_in_full
from app.shell.warm_start import settle, warm_torch

keep_upload_answers()  # an upload's answer survives a run that starts before it is sent
rerun_lost_fragments_in_full()  # a change in a fragment drawn before a page's run is run

st.set_page_config(
    page_title="ConvScope",
    page_icon=icon_data_url(),  # encoded once per process
    layout="wide",
    initial_sidebar_state="collapsed" if is_presenting() else "auto",
)

PAGES = {
    info.url_path: app_page(
        info.script,
        title=info.title,
        icon=f":material/{info.icon}:",
        url_path=info.name,
        default=info.default,
    )
    for info in registry.PAGES
}
INFO = {info.url_path: info for info in registry.PAGES}

keep_presenting_in_link()
use_chosen_palette()  # every map of this run in the reader's palette
keep_palette_in_link()
register_pages(list(PAGES.values()))
sections = {
    section: [PAGES[info.url_path] for info in registry.PAGES if info.section == section]
    for section in registry.SECTIONS
}
# Streamlit's own menu fails axe's list rules: the menu is drawn in the sidebar instead.
current = st.navigation(sections, position="hidden")
page = INFO[current.url_path]
# Each page its own title (the browser's tab and what a screen reader says first; WCAG 2.4.2)
st.set_page_config(page_title=f"{page.title} · ConvScope")
classroom.note_current_page(current.url_path)
classroom.resume_teaching()
classroom.join_from_link()
with fixed_slot():  # a class's lines come and go; the page's fragments keep their place
    paused = classroom.follow_teacher()
    classroom.following_banner()
if page.needs_torch:
    warm_torch()
with sidebar_after_map(page.map_first and not paused):
    with st.sidebar:
        page_menu(sections, current.url_path)
    if paused:
        classroom.paused_page(page.title)
    else:
        current.run()
    with st.sidebar:
        st.divider()
        presenter_toggle()
        palette_toggle()
        share_panel(current.url_path)
        classroom.class_panel()
        if problem := classroom.join_error():
            st.error(problem)
settle(current.url_path)
