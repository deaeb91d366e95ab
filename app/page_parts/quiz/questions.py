"""A quiz question on the page: what is asked, the picture or numbers it is about, and the
worked answer shown after the student answers."""

from __future__ import annotations

import numpy as np
import streamlit as st

from app.widgets.numbers.formula import (
    formula_block,
    output_size_general,
    output_size_line,
    pool_formula,
)
from app.widgets.numbers.number_grid import grid_html, show_html
from app.widgets.pictures.map_view import show_picture
from app.widgets.sources.image_source import sample_image, sample_keys
from cnn_core import KERNELS, conv2d
from cnn_core.colour import to_gray
from cnn_core.kernels import kernel_label, preserves_brightness
from cnn_core.quiz import KernelQuestion, PoolQuestion, Question, SizeQuestion
from cnn_core.render import image_to_rgb, signed_to_rgb

QUIZ_PICTURE_SIDE = 256
# Photos and real patterns: on a plain step edge several kernels look alike.
QUIZ_PICTURES = ("coffee", "cat", "astronaut", "camera", "text", "shapes")
# What each quiz kernel answers, said once when the answer is shown.
KERNEL_HINTS = {
    "sobel_x": "differences from left to right: vertical edges light up, red on one side "
    "and blue on the other",
    "sobel_y": "differences from top to bottom: horizontal edges light up",
    "gaussian_blur": "a weighted average of the neighbourhood: the picture, softened",
    "sharpen": "the centre pixel against its neighbours: the picture with crisper edges",
    "laplacian": "the centre against its four neighbours: thin outlines in every "
    "direction, flat areas near zero",
    "emboss": "differences along the diagonal: the picture looks lit from one corner",
}


def ask(question: Question) -> None:
    """The question and what it is about."""
    if isinstance(question, SizeQuestion):
        st.markdown(
            f"A **{question.size} x {question.size}** input goes through a "
            f"**{question.kernel} x {question.kernel}** kernel with **stride "
            f"{question.stride}**, **padding {question.padding}** (on each side) and "
            f"**dilation {question.dilation}**. How many rows does the output have?"
        )
    elif isinstance(question, PoolQuestion):
        what = "Max" if question.mode == "max" else "Average"
        st.markdown(
            f"**{what} pooling** with a **{question.size} x {question.size}** window and "
            f"stride {question.size}. What is the value at **row {question.row}, column "
            f"{question.col}** of the pooled map (counting from 0)?"
        )
        show_html(grid_html(question.grid, digits=0, font_size="1.5rem", caption="the input"))
    else:
        st.markdown("Which kernel made this feature map from the picture?")
        picture, feature = kernel_maps(question, question.answer)
        left, right = st.columns(2)
        with left:
            show_picture(image_to_rgb(picture), caption="The picture")
        with right:
            show_picture(feature, caption="The feature map")


def kernel_maps(question: KernelQuestion, name: str) -> tuple[np.ndarray, np.ndarray]:
    """The question's picture (gray) and what kernel ``name`` makes of it, coloured."""
    keys = [key for key in QUIZ_PICTURES if key in sample_keys()]
    gray = to_gray(sample_image(keys[question.picture % len(keys)], QUIZ_PICTURE_SIDE))
    kernel = KERNELS[name]
    feature = conv2d(gray, kernel, padding="same")
    coloured = image_to_rgb(feature) if preserves_brightness(kernel) else signed_to_rgb(feature)
    return gray, coloured


def worked(question: Question) -> None:
    """How the answer is found, with the question's own numbers."""
    if isinstance(question, SizeQuestion):
        size = question.worked()
        st.html(
            formula_block(
                [output_size_general(), output_size_line("n", size)],
                "n: input size; p1, p2: padding before and after; k: kernel size; "
                "d: dilation; s: stride.",
            )
        )
    elif isinstance(question, PoolQuestion):
        window = question.worked()
        top, left = question.row * question.size, question.col * question.size
        inside = np.zeros(question.grid.shape, bool)
        inside[top : top + question.size, left : left + question.size] = True
        show_html(
            grid_html(
                question.grid,
                digits=0,
                highlight=inside,
                font_size="1.5rem",
                caption="the window, outlined",
            )
            + f'<p class="cs-quiz-pool" style="font-size:1.25rem">{pool_formula(window)}</p>'
        )
    else:
        st.markdown(
            f"**{kernel_label(question.answer)}** answers {KERNEL_HINTS[question.answer]}. "
            "The four candidates on the same picture:"
        )
        for column, name in zip(st.columns(len(question.choices)), question.choices):
            with column:
                show_picture(kernel_maps(question, name)[1], caption=kernel_label(name))
