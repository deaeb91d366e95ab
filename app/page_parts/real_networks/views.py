"""The Real networks page's views: the answer and every stage's most active maps, the
first layer's filters, a unit's receptive field in theory and in effect, and the table
of every network's fields."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from app.widgets.networks.class_bars import class_bars_html
from app.widgets.numbers.number_grid import show_html
from app.widgets.pictures.described import show_image, show_image_row
from app.widgets.pictures.map_view import colour_map, show_picture
from cnn_core.describe import (
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
from cnn_core.nn.networks import NETWORKS
from cnn_core.nn.stage_fields import PUBLISHED_FIELDS
from cnn_core.render import image_to_rgb, symmetric_limit

CHANNELS_SHOWN = 6


def answer_view(seen: np.ndarray, classes: list[tuple[str, float]], note: str | None) -> None:
    """What the network sees, and its five most likely classes."""
    left, right = st.columns([1, 2])
    with left:
        show_image(
            image_to_rgb(seen),
            alt=describe_image(seen, "What the network sees")
            + ". "
            + describe_probabilities([p for _, p in classes], [name for name, _ in classes]),
            caption="What the network sees: resized and cropped to 224 x 224",
        )
    with right:
        label, probability = classes[0]
        st.markdown(f"## {label}")
        st.markdown(f"**{probability:.1%}** likely, of the 1,000 ImageNet classes")
        show_html(
            class_bars_html([c for c, _ in classes], [p for _, p in classes], label_width="11em")
        )
        if note:
            st.caption(note)


def stages_view(stages: dict[str, np.ndarray], labels: dict[str, str], fields: dict) -> None:
    """Each stage's most active channels, from fine edges to large parts."""
    for node, maps in stages.items():
        field = fields[node]
        channels = most_active(maps, CHANNELS_SHOWN)
        limit = float(maps[channels].max()) or 1.0
        pictures = [
            upscale_nearest(colour_map(maps[c], signed=False, limit=limit), 96) for c in channels
        ]
        st.markdown(
            f"**{labels[node]}** (`{node}`): {maps.shape[0]} maps of {maps.shape[1]} x "
            f"{maps.shape[2]}; each unit sees {field.size} x {field.size} input pixels"
            + (" (the whole picture, through a global gate)" if field.whole else "")
        )
        show_image_row(
            pictures,
            width=110,
            alts=[describe_map(maps[c], f"{labels[node]}, channel {c}") for c in channels],
            captions=[f"channel {c}" for c in channels],
        )


def filters_view(filters: np.ndarray) -> None:
    """The first layer's filters in colour, each beside the classic kernel most like it."""
    shown = filters[:32]
    limit = symmetric_limit(shown) or 1.0
    pictures, captions = [], []
    for bank in shown:
        rgb = np.moveaxis(bank, 0, 2) / (2 * limit) + 0.5  # 0 weight = mid grey
        pictures.append(upscale_nearest(image_to_rgb(rgb), 66))
        name, score = closest_classic(bank.sum(axis=0))
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
    st.caption(
        f"{min(len(filters), 32)} of {len(filters)} first-layer filters, {filters.shape[2]} x "
        f"{filters.shape[3]}, in colour (grey: 0; a colour: weights favouring that colour). "
        "Under each, the classic kernel its summed weights correlate with most, and the "
        "correlation (a minus: the kernel with its sign flipped). Trained networks grow "
        "edge and colour-blob detectors; random ones show noise."
    )


def field_view(seen, gradient: np.ndarray, field, unit: tuple[int, int], node: str) -> None:
    """A unit's theoretical box on the input beside where its gradient really lands."""
    row, col = unit
    (top, bottom), (left, right) = field.box(row), field.box(col)
    side = seen.shape[0]
    centre = ((top + bottom) / 2, (left + right) / 2)
    extent = effective_extent(gradient, centre)
    theory, effect = st.columns(2)
    with theory:
        show_picture(
            outline_box(image_to_rgb(seen), top, left, bottom, right, thickness=2),
            caption=f"Theoretical field of unit ({row}, {col}) of {node}: rows {top} "
            f"to {bottom}, columns {left} to {right} ({field.size} x {field.size})",
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
        )
    clipped = min(field.size, side)
    st.markdown(
        f"The effective field is **{extent} pixels** wide against a theoretical "
        f"**{field.size}** ({clipped} of them inside the {side}-pixel picture): a ratio of "
        f"**{extent / clipped:.2f}**. Every pixel in the box can reach the unit, but the centre "
        "does so along far more paths, so the gradient piles up there in a roughly "
        "Gaussian bump (Luo et al., 2016)."
    )


def fields_table(fields_by_network: dict[str, dict]) -> None:
    """Every network's stages with size / jump / start, and Araujo et al.'s values."""
    rows = []
    for name, fields in fields_by_network.items():
        label = NETWORKS[name].label if name in NETWORKS else "ResNet-50 (2015)"
        for node, field in fields.items():
            published = PUBLISHED_FIELDS.get(name)
            paper = f"{published[1]} / {published[2]}" if published and published[0] == node else ""
            rows.append(
                {
                    "network": label,
                    "stage": node,
                    "size": field.size,
                    "jump": field.jump,
                    "start": field.start,
                    "whole picture": "yes" if field.whole else "",
                    "Araujo et al. 2019 (size / jump)": paper,
                }
            )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(
        "Computed from the modules by following every path of each network's graph "
        "(torch.fx). AlexNet and VGG-16 match the published fields. torchvision's ResNet-50 "
        "(v1.5) strides in the 3 x 3 convolution of each stage's first block where the "
        "original (v1, the one Araujo et al. measured) strides in the 1 x 1 before it, so "
        "the later 3 x 3s run at a smaller jump and the field is 427, not 483. MobileNetV3's "
        "squeeze-and-excitation blocks pool the whole map into a gate, so from its first "
        "block on every unit depends on the whole picture."
    )
