"""Layer stack: up to six layers on your image, every intermediate map, every weight counted."""

from __future__ import annotations

import streamlit as st

from app.app_pages import registry
from app.page_parts.layer_stack.editor import EDITOR_SCRATCH, stack_editor, stack_settings
from app.page_parts.layer_stack.stages import show_stages, weights_summary
from app.shell.settings.image_choice import IMAGE_SCRATCH, image_settings, open_image_page
from app.shell.url_state import PageState
from app.widgets.controls.reset_button import reset_button
from cnn_core.colour import to_gray
from cnn_core.layers import LayerError
from cnn_core.stack import run_stack, stack_totals

PAGE = registry.BY_NAME["layer_stack"]
STATE = PageState(
    PAGE.prefix,
    [*image_settings("coffee", 256), *stack_settings()],
    scratch=(*IMAGE_SCRATCH, *EDITOR_SCRATCH),
)


def page() -> None:
    image = open_image_page(STATE, PAGE.title, PAGE.summary)
    reset_button(STATE.reset, where=st.sidebar)
    layers = stack_editor(STATE)
    gray = to_gray(image.pixels)
    if layers is not None:
        try:
            stages = run_stack(gray, layers)
        except LayerError as error:
            st.error(str(error))
        else:
            show_stages(gray, stages)
            weights_summary(stages, *stack_totals(stages))
    STATE.publish()


if __name__ == "__main__":
    page()
