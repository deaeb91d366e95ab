"""Lesson: a guided path through the ideas, one step at a time, on your picture."""

from __future__ import annotations

import streamlit as st

from app.app_pages import registry
from app.page_parts.lesson.steps import STEPS
from app.page_parts.lesson.views import LESSON_SCRATCH, show_step, step_picker
from app.shell.settings.image_choice import IMAGE_SCRATCH, image_settings, open_image_page
from app.shell.url_state import PageState, integer

PAGE = registry.BY_NAME["lesson"]
STATE = PageState(
    PAGE.prefix,
    [*image_settings("coffee", 256), integer("step", 1, len(STEPS), 1)],
    scratch=(*IMAGE_SCRATCH, *LESSON_SCRATCH),
)


def page() -> None:
    image = open_image_page(
        STATE,
        PAGE.title,
        f"{len(STEPS)} steps from one weighted sum to a trained network, each drawn on your "
        "picture. Every step opens its full page with the same settings.",
        image_title="Picture for the lesson",
    )
    with st.sidebar:
        step_picker(STATE)
    show_step(STATE, image.pixels)
    STATE.publish()


if __name__ == "__main__":
    page()
