"""What the Convolution page shows: input, feature maps, edge strength, Kirsch compass."""

from __future__ import annotations

import html

import numpy as np
import streamlit as st

from app.widgets.numbers.number_grid import format_value, grid_html, show_html
from app.widgets.pictures.map_view import (
    SIDE_PICTURE_MAX,
    brightness_bar,
    clickable_encoded,
    clickable_picture,
    colour_bar,
    colour_bar_html,
    colour_map,
    encode_picture,
    show_encoded_picture,
    show_picture,
)
from app.widgets.shared_results import array_key, shared, shared_key
from cnn_core.colour import (
    CHANNEL_NAMES,
    gray_of_planes,
)
from cnn_core.conv_run import ConvRun
from cnn_core.describe import describe_kernel, describe_map, describe_maps
from cnn_core.drawing import outline_box, shade
from cnn_core.edges import (
    DIRECTION_PALETTE,
    compass_edges,
    derivative_magnitude,
    direction_to_rgb,
    kirsch_responses,
)
from cnn_core.kernels import GRADIENT_PAIRS, KIRSCH_DIRECTIONS, kernel_label
from cnn_core.render import clipped_share, current_palette, image_to_rgb, symmetric_limit


def shared_run(image, kernel, colour: str, settings) -> tuple[ConvRun, tuple | None]:
    """The page's convolution of ``image`` (a ``ChosenImage``) with ``kernel`` (a
    ``KernelChoice``) and ``settings``, and its key among the results every session
    shares: made once per process for a sample or the teacher's shared picture, in the
    session (key None) for the user's own picture."""
    options = settings.conv_options()
    key = shared_key(
        image.shared_as,
        "conv",
        array_key(kernel.kernel),
        kernel.flip,
        colour,
        tuple(sorted(options.items())),
        settings.activation,
    )
    run = shared(
        key,
        lambda: ConvRun.compute(
            image.pixels,
            kernel.kernel.copy(),  # the run is kept: its own copy of the kernel
            flip=kernel.flip,
            colour=colour,
            conv_options=options,
            activation=settings.activation,
        ),
    )
    return run, key


def input_picture(image: np.ndarray, unreached: tuple[int, int], box) -> np.ndarray:
    """The input as the kernel sees it (gray or RGB), unreached rows/columns shaded, the
    window boxed."""
    pixels = image_to_rgb(image)
    rows, cols = unreached
    if rows or cols:
        mask = np.zeros(pixels.shape[:2], bool)
        if rows:
            mask[-rows:, :] = True
        if cols:
            mask[:, -cols:] = True
        pixels = shade(pixels, mask)
    if box is not None:
        (top, left), (bottom, right) = box
        thickness = max(2, max(pixels.shape[:2]) // 200)
        pixels = outline_box(pixels, top, left, bottom, right, thickness=thickness)
    return pixels


def _marked(pixels: np.ndarray, marker, colour) -> np.ndarray:
    """A small box around the inspected output pixel, visible even on a large map."""
    if marker is None:
        return pixels
    row, col = marker
    reach = max(1, max(pixels.shape[:2]) // 120)
    return outline_box(
        pixels,
        row - reach + 1,
        col - reach + 1,
        row + reach - 1,
        col + reach - 1,
        colour=colour,
        thickness=max(1, reach // 2),
    )


def _marked_words(values: np.ndarray, marker) -> str:
    """What the box on the map marks, for its text alternative: the pixel and its value."""
    row, col = marker[:2]
    return f"; the box marks row {row}, column {col}: {format_value(float(values[row, col]), 4)}"


def map_picture(values: np.ndarray, *, signed: bool, limit: float, marker) -> np.ndarray:
    return _marked(colour_map(values, signed=signed, limit=limit), marker, (20, 20, 20))


def show_kernel(kernel: np.ndarray, flip: bool) -> None:
    """The kernel between the input and the feature map, as the equation reads: small
    kernels with their numbers, large ones as coloured cells only."""
    slices = kernel if kernel.ndim == 3 else kernel[None]
    cols = kernel.shape[-1]
    limit = symmetric_limit(kernel) or 1.0  # one colour scale for every slice
    font = "0.85rem" if cols <= 3 else "0.7rem"
    turned = ", turned 180 degrees" if flip else ""
    grids = "".join(
        grid_html(
            plane,
            limit=limit,
            digits=2,
            font_size=font,
            caption=f"{name} slice" if kernel.ndim == 3 else "",
            label=f"Kernel {kernel.shape[-2]} x {cols}{turned}",
        )
        if cols <= 5
        else _kernel_cells(plane, limit, describe_kernel(plane, f"Kernel{turned}"))
        for plane, name in zip(slices, CHANNEL_NAMES)
    )
    rows = kernel.shape[-2]
    show_html(
        '<div style="text-align:center; margin-top:2rem">'
        '<div style="font-size:2rem; line-height:1; margin-bottom:0.4rem" role="img" '
        'aria-label="convolved with">&lowast;</div>'
        f'<div style="display:inline-block">{grids}</div>'
        # (the grids say their size to a screen reader; this line is for the eye)
        '<div style="font-size:0.85rem; opacity: 0.8" aria-hidden="true">'
        f"kernel {rows} x {cols}{turned}</div></div>"
    )


def _kernel_cells(plane: np.ndarray, limit: float, words: str) -> str:
    """A large kernel as a block of coloured cells without numbers; ``words`` (its
    values) is what a screen reader says instead."""
    cell = max(3, 96 // plane.shape[1])
    colours = colour_map(plane, signed=True, limit=limit)
    rows = "".join(
        "<div style='display:flex'>"
        + "".join(
            f"<div style='width:{cell}px; height:{cell}px; background: rgb({r},{g},{b})'></div>"
            for r, g, b in line
        )
        + "</div>"
        for line in colours.tolist()
    )
    return (
        f"<div role='img' aria-label='{html.escape(words)}' "
        f"style='display:inline-block; border:1px solid #bbb'>{rows}</div>"
    )


def show_maps(
    run: ConvRun, *, marker, on_pick, key: str, note: str = "", as_image=False, shared_as=None
):
    """Every feature map, clickable: signed maps share one colour range so they compare
    honestly; as brightness, the channels recombine into one colour picture.
    ``shared_as``: the run's key among the results sessions share (None: made here)."""
    if as_image:
        _show_as_brightness(run, marker=marker, on_pick=on_pick, key=key, note=note)
        return
    pictures, bar = shared(
        shared_key(shared_as, "maps", marker, note, current_palette().name),
        lambda: _map_pictures(run, marker, note),
    )
    columns = st.columns(len(run.names)) if len(run.names) > 1 else [st.container()]
    for index, (column, name) in enumerate(zip(columns, run.names)):
        with column:
            clickable_encoded(
                pictures[index],
                key=f"{key}_{index}",
                on_pick=lambda row, col, index=index: on_pick(row, col, index),
                cursor=marker[:2] if marker else None,
            )
            if len(run.names) > 1:
                st.caption(f"{name} channel")
    st.html(bar)


def _map_pictures(run: ConvRun, marker, note: str):
    """The maps' encoded pictures (the inspected pixel boxed) and their colour bar."""
    limit = symmetric_limit(run.maps) if run.signed else float(run.maps.max())
    pictures = []
    for index, name in enumerate(run.names):
        marked = marker and marker[2] == index
        pixels = map_picture(
            run.maps[index], signed=run.signed, limit=limit, marker=marker[:2] if marked else None
        )
        alt = describe_map(run.maps[index], f"{name.capitalize()} feature map") + (
            _marked_words(run.maps[index], marker) if marked else ""
        )
        pictures.append(encode_picture(pixels, alt=alt))
    return pictures, colour_bar_html(run.maps, signed=run.signed, limit=limit, note=note)


def _show_as_brightness(run: ConvRun, *, marker, on_pick, key: str, note: str) -> None:
    maps = run.maps
    picture = image_to_rgb(np.moveaxis(maps, 0, 2) if len(maps) == 3 else maps[0])
    channel = marker[2] if marker else 0
    clickable_picture(
        _marked(picture, marker[:2] if marker else None, (255, 210, 0)),
        alt=(
            describe_maps(maps, "Feature maps shown as colour")
            if len(maps) == 3
            else describe_map(maps[0], "Feature map")
        )
        + (_marked_words(maps[channel], marker) if marker else ""),
        key=f"{key}_0",
        on_pick=lambda row, col: on_pick(row, col, channel),
        cursor=marker[:2] if marker else None,
    )
    clipped = clipped_share(maps) * 100
    extra = f" {clipped:.1f}% of values fall outside 0 to 1 and are clipped." if clipped else ""
    recombined = " The three channel maps are recombined as colour." if len(maps) == 3 else ""
    brightness_bar(
        maps, note=f"Shown as brightness, 0 = black, 1 = white.{extra}{recombined} {note}"
    )


def show_gradient_magnitude(run: ConvRun, kernel_name: str, *, shared_as=None) -> None:
    """For x/y derivative kernels: sqrt(gx^2 + gy^2) of the pair, same settings.
    ``shared_as``: the run's key among the results sessions share (None: made here)."""
    picture, bar = shared(
        shared_key(shared_as, "magnitude", kernel_name, current_palette().name),
        lambda: _magnitude_picture(run, kernel_name),
    )
    show_encoded_picture(picture)
    st.html(bar)


def _magnitude_picture(run: ConvRun, kernel_name: str):
    x_name, y_name = GRADIENT_PAIRS[kernel_name]
    magnitude = derivative_magnitude(
        run.planes, kernel_name, summed=run.colour == "summed", flip=run.flip, **run.conv_options
    )
    picture = encode_picture(
        colour_map(magnitude, signed=False),
        max_side=SIDE_PICTURE_MAX,
        alt=describe_map(magnitude, "Gradient magnitude"),
    )
    bar = colour_bar_html(
        magnitude,
        signed=False,
        note=f"Gradient magnitude: the length of ({kernel_label(x_name)}, "
        f"{kernel_label(y_name)}) at each pixel.",
    )
    return picture, bar


def show_kirsch(run: ConvRun) -> None:
    """All eight compass responses, the strongest one, and which direction won."""
    responses = kirsch_responses(gray_of_planes(run.planes), flip=run.flip, **run.conv_options)
    strength, direction = compass_edges(responses)
    limit = symmetric_limit(responses)
    st.subheader("Kirsch compass: all eight directions")
    if run.colour != "gray":
        st.caption("Computed on the gray version of the image.")
    for row in (KIRSCH_DIRECTIONS[:4], KIRSCH_DIRECTIONS[4:]):
        for column, name in zip(st.columns(4), row):
            with column:
                k = KIRSCH_DIRECTIONS.index(name)
                show_picture(
                    colour_map(responses[k], signed=True, limit=limit),
                    alt=describe_map(responses[k], f"Kirsch {name} response"),
                )
                st.caption(f"kirsch_{name}")
    colour_bar(responses, signed=True, limit=limit)
    left, right = st.columns(2)
    with left:
        show_picture(
            colour_map(strength, signed=True, limit=limit),
            alt=describe_map(strength, "Edge strength"),
        )
        st.caption("Edge strength: the largest of the eight responses at each pixel.")
    with right:
        show_picture(direction_to_rgb(direction, np.maximum(strength, 0)))
        legend = " ".join(
            f'<span style="color: rgb{tuple(int(v) for v in colour)}; font-weight: 700">'
            f"&#9632; {name.upper()}</span>"
            for name, colour in zip(KIRSCH_DIRECTIONS, DIRECTION_PALETTE)
        )
        st.html(f'<div style="font-size: 0.95rem">{legend}</div>')
        st.caption("Winning direction per pixel (brighter = stronger edge).")
