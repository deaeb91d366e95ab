"""The lesson on the page: where we are, the step's words and figure, and the ways on
(next, previous, the full page, a slide for the projector)."""

from __future__ import annotations

import hashlib
import html
import re

import numpy as np
import streamlit as st

from app.shell.navigation import open_page
from app.widgets.controls import keyed
from app.widgets.controls.shortcuts import shortcuts
from app.widgets.numbers.formula import spoken
from app.widgets.pictures.map_view import show_picture
from app.widgets.pictures.slide import slide_png
from app.widgets.session_memo import remembered
from cnn_core.render import current_palette

from .figure import Figure
from .steps import STEPS, Link, Step

LESSON_SCRATCH = ("figure", "keys")
MAX_COLUMNS = 4


def step_picker(state) -> None:
    """Every step by name (in the sidebar), so a teacher can jump."""
    keyed.selectbox(
        "Step",
        range(1, len(STEPS) + 1),
        key=state.key("step"),
        format_func=lambda n: f"{n}. {STEPS[n - 1].title}",
    )


def _progress_html(number: int, steps: int) -> str:
    """The lesson's progress: "Step 3 of 13" and a bar that a screen reader says once, as
    "Lesson progress, Step 3 of 13" (Streamlit's own bar is named only "progress")."""
    words = f"Step {number} of {steps}"
    return (
        "<style>.cs-steps progress { width: 100%; height: 0.5rem; accent-color: #1f5fbf; }"
        "@media (prefers-color-scheme: dark) { .cs-steps progress { accent-color: #6ea8fe; } }"
        '</style><div class="cs-steps"><div aria-hidden="true">'
        f'{words}</div><progress max="{steps}" value="{number}" aria-label="Lesson progress" '
        f'aria-valuetext="{words}"></progress></div>'
    )


def show_step(state, rgb: np.ndarray) -> None:
    number = state["step"]
    step = STEPS[number - 1]
    st.html(_progress_html(number, len(STEPS)))
    st.header(f"{number}. {step.title}", anchor=False)
    buttons = st.container()
    st.markdown(step.text)
    with st.spinner("Loading the trained network..." if number == len(STEPS) else "Drawing..."):
        figure = _figure(state, number, step, rgb)
    _show_figure(figure)
    with buttons:
        _navigation(state, number, step, figure)


def _figure(state, number: int, step: Step, rgb: np.ndarray) -> Figure:
    """The step's figure, remembered for this picture (one per session)."""
    picture = hashlib.sha1(np.ascontiguousarray(rgb).tobytes()).hexdigest()
    key = (number, picture, current_palette().name)  # a figure in the reader's colours
    return remembered(state.scratch("figure"), key, lambda: step.figure(rgb))


def _show_figure(figure: Figure) -> None:
    """Pictures in a row (at most four) with the arithmetic under them; one or two
    pictures leave room for the arithmetic beside them."""
    panels = figure.panels
    if len(panels) <= 2:
        pictures, words = st.columns([len(panels), 1.2])
    else:
        pictures = words = st.container()
    alts = figure.alts + (None,) * (len(panels) - len(figure.alts))
    with pictures:
        for start in range(0, len(panels), MAX_COLUMNS):
            row = list(zip(panels[start : start + MAX_COLUMNS], alts[start : start + MAX_COLUMNS]))
            for column, ((picture, caption), alt) in zip(st.columns(len(row)), row):
                with column:
                    show_picture(picture, caption=caption, max_side=640, alt=alt)
    with words:
        if figure.formulas:
            # Each line one picture of its arithmetic to a screen reader, read in words
            # (as the Convolution page's formulas): not one run of numbers and signs.
            lines = "".join(
                f'<div role="img" aria-label="{html.escape(spoken(html.escape(line)))}">'
                f"{html.escape(line)}</div>"
                for line in figure.formulas
            )
            st.html(f'<div class="cs-lesson-math">{lines}</div>{_MATH_STYLE}')
        for note in figure.notes:
            st.markdown(note)


_MATH_STYLE = """<style>
.cs-lesson-math { font-family: "Cambria Math", "Times New Roman", serif; font-size: 1.15rem;
  background: rgba(127, 127, 127, 0.12); border-radius: 0.4rem; padding: 0.5rem 0.8rem;
  overflow-x: auto; }
.cs-lesson-math > div { margin: 0.2rem 0; overflow-wrap: anywhere; }
</style>"""


def _navigation(state, number: int, step: Step, figure: Figure) -> None:
    def go(to: int) -> None:
        state.set("step", min(max(to, 1), len(STEPS)))

    previous, following, full, slide = st.columns([1, 1, 1.6, 1.4])
    previous.button(
        "Previous",
        on_click=go,
        args=(number - 1,),
        disabled=number == 1,
        icon=":material/arrow_back:",
        width="stretch",
    )
    following.button(
        "Next",
        on_click=go,
        args=(number + 1,),
        disabled=number == len(STEPS),
        icon=":material/arrow_forward:",
        type="primary",
        width="stretch",
        help="Keys: right arrow or Page Down for the next step, left arrow or Page Up back.",
    )
    if full.button(
        f"Open the {step.link.title} page", icon=":material/open_in_new:", width="stretch"
    ):
        open_page(step.link.page, link_params(step.link, state))
    slide.download_button(
        "Slide (PNG, 1920 x 1080)",
        data=lambda: slide_png(
            f"{number}. {step.title}", slide_lines(step, figure), list(figure.panels)
        ),
        file_name=f"convscope-lesson-{number:02d}.png",
        mime="image/png",
        on_click="ignore",
        icon=":material/download:",
        width="stretch",
    )
    shortcuts(
        key=state.scratch("keys"),
        on_next=lambda: go(state["step"] + 1),
        on_previous=lambda: go(state["step"] - 1),
    )


def link_params(link: Link, state) -> dict[str, str]:
    """The URL values the step's full page opens with."""
    params = dict(link.params)
    if link.takes_picture:
        params.update(sample=state["sample"], res=str(state["res"]))
    return params


def slide_lines(step: Step, figure: Figure) -> list[str]:
    """The step's words for a slide: the text (markdown removed), the arithmetic, notes."""
    return [re.sub(r"\*\*(.+?)\*\*", r"\1", step.text), *figure.formulas, *figure.notes]
