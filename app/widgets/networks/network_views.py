"""A classifier's views on one picture, for any network: the answer beside what the
network sees, each stage's most active maps, the first layer's filters, and a unit's
receptive field in theory and in effect. The pages pass the numbers; nothing here knows
a network or a setting."""

from __future__ import annotations

import numpy as np
import streamlit as st

from cnn_core.describe import (
    describe_box,
    describe_image,
    describe_kernel,
    describe_map,
    describe_probabilities,
)
from cnn_core.drawing import heat_overlay, outline_box, upscale_nearest
from cnn_core.kernel_similarity import closest_classic
from cnn_core.kernels import kernel_label
from cnn_core.nn.erf import effective_extent
from cnn_core.nn.network_inference import most_active
from cnn_core.render import image_to_rgb, symmetric_limit

from ..numbers.number_grid import show_html
from ..pictures.described import show_image, show_image_row
from ..pictures.map_view import colour_map, show_picture
from .class_bars import class_bars_html

CHANNELS_SHOWN = 6
# The views a network page offers with these pieces, as its "Look closer" labels.
NETWORK_VIEWS = {
    "stages": "Answer and stages",
    "filters": "First-layer filters",
    "field": "Receptive field of a unit",
    "why": "Why this answer",
    "wants": "What a channel wants",
}
FILTERS_SHOWN = 32


def as_rgb(seen: np.ndarray) -> np.ndarray:
    """A grey ``(H, W)``, RGB ``(H, W, 3)`` or RGBA picture in [0, 1] as RGB."""
    return np.repeat(seen[..., None], 3, axis=2) if seen.ndim == 2 else seen[..., :3]


def answer_view(
    seen: np.ndarray,
    classes: list[tuple[str, float]],
    note: str | None,
    *,
    seen_caption: str,
    out_of: str,
) -> None:
    """What the network sees (``seen_caption`` says how it was made), and its most likely
    classes; ``out_of`` finishes "NN% likely, ..." ("of the 1,000 ImageNet classes")."""
    left, right = st.columns([1, 2])
    with left:
        show_image(
            image_to_rgb(as_rgb(seen)),
            alt=describe_image(seen, "What the network sees")
            + ". "
            + describe_probabilities([p for _, p in classes], [name for name, _ in classes]),
            caption=seen_caption,
        )
    with right:
        label, probability = classes[0]
        st.markdown(f"## {label}")
        st.markdown(f"**{probability:.1%}** likely, {out_of}")
        show_html(
            class_bars_html([c for c, _ in classes], [p for _, p in classes], label_width="11em")
        )
        if note:
            st.caption(note)


def stages_view(stages: dict[str, np.ndarray], labels: dict[str, str], fields: dict) -> None:
    """Each stage's most active channels, from fine edges to large parts; ``fields``
    (stage -> receptive field) may leave stages out."""
    for node, maps in stages.items():
        field = fields.get(node)
        channels = most_active(maps, CHANNELS_SHOWN)
        limit = float(maps[channels].max()) or 1.0
        pictures = [
            upscale_nearest(colour_map(maps[c], signed=False, limit=limit), 96) for c in channels
        ]
        seen = ""
        if field is not None:
            seen = f"; each unit sees {field.size} x {field.size} input pixels" + (
                " (the whole picture, through a global gate)" if field.whole else ""
            )
        st.markdown(
            f"**{labels[node]}** (`{node}`): {maps.shape[0]} maps of {maps.shape[1]} x "
            f"{maps.shape[2]}{seen}"
        )
        show_image_row(
            pictures,
            width=110,
            alts=[describe_map(maps[c], f"{labels[node]}, channel {c}") for c in channels],
            captions=[f"channel {c}" for c in channels],
        )


def filters_view(filters: np.ndarray) -> None:
    """The first layer's filters, each beside the classic kernel most like it: in colour
    for filters over three colour channels, else their channels summed, in grey."""
    shown = filters[:FILTERS_SHOWN]
    colour = shown.shape[1] == 3
    limit = symmetric_limit(shown if colour else shown.sum(axis=1)) or 1.0
    pictures, captions = [], []
    for bank in shown:
        summed = bank.sum(axis=0)
        values = np.moveaxis(bank, 0, 2) if colour else summed
        pictures.append(upscale_nearest(image_to_rgb(as_rgb(values / (2 * limit) + 0.5)), 66))
        name, score = closest_classic(summed)
        captions.append(f"{'-' if score < 0 else ''}{kernel_label(name)} {abs(score):.2f}")
    show_image_row(
        pictures,
        width=76,
        alts=[
            f"Filter {f}, like {caption}: " + describe_kernel(bank.sum(axis=0), "summed weights")
            for f, (bank, caption) in enumerate(zip(shown, captions))
        ],
        captions=captions,
    )
    shade = (
        "in colour (grey: 0; a colour: weights favouring that colour)"
        if colour
        else f"their {shown.shape[1]} input channel(s) summed, in grey (mid grey: 0)"
    )
    st.caption(
        f"{len(shown)} of {len(filters)} first-layer filters, {filters.shape[2]} x "
        f"{filters.shape[3]}, {shade}. Under each, the classic kernel its summed weights "
        "correlate with most, and the correlation (a minus: the kernel with its sign "
        "flipped). Trained networks grow edge and colour-blob detectors; random ones show "
        "noise."
    )


def field_view(seen, gradient: np.ndarray, field, unit: tuple[int, int], node: str) -> None:
    """A unit's theoretical box on the input (when ``field`` is known) beside where its
    gradient really lands."""
    row, col = unit
    seen = as_rgb(seen)
    side = seen.shape[0]
    if field is not None:
        (top, bottom), (left, right) = field.box(row), field.box(col)
    else:  # no theoretical field: the effective one is centred on the gradient's peak
        peak = np.unravel_index(int(np.argmax(gradient)), gradient.shape)
        top = bottom = int(peak[0])
        left = right = int(peak[1])
    centre = ((top + bottom) / 2, (left + right) / 2)
    extent = effective_extent(gradient, centre)
    theory, effect = st.columns(2)
    if field is not None:
        with theory:
            show_picture(
                outline_box(image_to_rgb(seen), top, left, bottom, right, thickness=2),
                caption=f"Theoretical field of unit ({row}, {col}) of {node}: rows {top} "
                f"to {bottom}, columns {left} to {right} ({field.size} x {field.size})",
                alt=describe_box(top, left, bottom, right, "Theoretical field"),
            )
    with effect:
        overlay = heat_overlay(seen, gradient)
        half = extent // 2
        overlay = outline_box(
            overlay,
            int(centre[0]) - half,
            int(centre[1]) - half,
            int(centre[0]) + half,
            int(centre[1]) + half,
            colour=(255, 255, 255),
            thickness=1,
        )
        show_picture(
            overlay,
            caption=f"Effective field: 95% of the gradient lies in the white "
            f"square, {extent} x {extent} pixels",
            alt=describe_map(gradient, "Input gradient of the unit"),
        )
    if field is None:
        st.markdown(f"The effective field is **{extent} pixels** wide.")
        return
    clipped = min(field.size, side)
    st.markdown(
        f"The effective field is **{extent} pixels** wide against a theoretical "
        f"**{field.size}** ({clipped} of them inside the {side}-pixel picture): a ratio of "
        f"**{extent / clipped:.2f}**. Every pixel in the box can reach the unit, but the centre "
        "does so along far more paths, so the gradient piles up there in a roughly "
        "Gaussian bump (Luo et al., 2016)."
    )
