"""The Transposed convolution page's views: stamps adding up, the output size, the same
result as an ordinary convolution, and the checkerboard."""

from __future__ import annotations

import streamlit as st

from app.widgets.controls.stepper import play_interval, step_controls
from app.widgets.numbers.formula import MINUS, formula_block, symbol
from app.widgets.numbers.number_grid import counted, grid_html, row_html, show_html, sign_html
from app.widgets.pictures.map_view import colour_map, show_picture
from cnn_core.agreement import largest_difference
from cnn_core.drawing import upscale_nearest
from cnn_core.transposed import TransposedSize, as_convolution, checkerboard, conv_transpose2d
from cnn_core.transposed_steps import padded_zero_inserted, size_round_trip, stamp_step


def stamps_view(x, kernel, geometry: dict, *, step_key: str, play_key: str) -> None:
    """Each input cell stamps ``x[i, j] * kernel``; the stamps add up, then padding is cut."""
    conv_transpose2d(x, kernel, **geometry)  # settings with no output stop here, explained
    timer = play_interval(play_key)
    st.fragment(run_every=timer)(_stamps)(
        x, kernel, geometry, step_key, play_key, timer is not None
    )


def _stamps(x, kernel, geometry, step_key, play_key, timed) -> None:
    step = step_controls(
        step_key=step_key, play_key=play_key, steps=x.size, timed=timed, label="Stamp"
    )
    stamp = stamp_step(x, kernel, step, stride=geometry["stride"], dilation=geometry["dilation"])
    show_html(
        row_html(
            grid_html(x, highlight=stamp.source, caption="input"),
            sign_html("&rarr;"),
            grid_html(stamp.stamp, digits=2, caption=f"its stamp: {stamp.value:g} × kernel"),
            sign_html("&rarr;"),
            grid_html(
                stamp.so_far,
                highlight=stamp.landed,
                digits=2,
                caption=f"sum of the first {step + 1} stamps, before cropping",
            ),
        )
    )
    padding, extra = geometry["padding"], geometry["output_padding"]
    out = conv_transpose2d(x, kernel, **geometry)
    st.caption(
        f"Stamps land {geometry['stride']} apart (the stride). When all are in, padding "
        f"{padding} cuts {counted(padding, 'row')} and {counted(padding, 'column')} from every "
        f"side, and output padding {extra} keeps {extra} more at the bottom and right: the "
        f"output is {out.shape[0]} x {out.shape[1]}."
    )


def size_lines(sizes: tuple[TransposedSize, TransposedSize]) -> list[str]:
    lines = [
        f"{symbol('n', 'out')} = ({symbol('n')} {MINUS} 1)·{symbol('s')} {MINUS} 2{symbol('p')} + "
        f"{symbol('d')}·({symbol('k')} {MINUS} 1) + {symbol('op')} + 1"
    ]
    for name, size in zip("HW", sizes):
        lines.append(
            f"{symbol(name, 'out')} = ({size.size} {MINUS} 1)·{size.stride} {MINUS} "
            f"2·{size.padding} + {size.dilation}·({size.kernel} {MINUS} 1) + "
            f"{size.output_padding} + 1 = <b>{size.result}</b>"
        )
    return lines


def size_view(x, kernel, geometry: dict) -> None:
    """The output size with the user's numbers, and the convolution that undoes it."""
    trip = size_round_trip(x.shape, kernel.shape, **geometry)
    out = conv_transpose2d(x, kernel, **geometry)
    back = trip.back
    st.html(
        formula_block(
            size_lines(trip.sizes),
            "n: input size, s: stride, p: padding, d: dilation, k: kernel size, op: output "
            "padding (Dumoulin & Visin, relationships 8 to 14).",
        )
    )
    st.markdown(
        f"conv_transpose2d returns **{out.shape[0]} x {out.shape[1]}**. A convolution with the "
        f"same kernel, stride, padding and dilation takes that size back to "
        f"**{back[0]} x {back[1]}**: the input's size "
        f"({x.shape[0]} x {x.shape[1]}). Several input sizes round to the same output under "
        "a stride, which is why output padding exists: it picks which one to give back."
    )


def as_convolution_view(x, kernel, geometry: dict) -> None:
    """The same output from an ordinary convolution of the zero-inserted input."""
    equivalent = as_convolution(x, kernel, **geometry)
    out = conv_transpose2d(x, kernel, **geometry)
    top, _, left, _ = equivalent.padding
    padded, mask = padded_zero_inserted(equivalent)
    show_html(
        row_html(
            grid_html(
                padded,
                padded=mask,
                digits=2,
                caption=f"input with {geometry['stride'] - 1} zero(s) between cells, "
                "padded (hatched)",
            ),
            sign_html("&lowast;"),
            grid_html(equivalent.flipped, digits=2, caption="kernel turned 180°"),
            sign_html("="),
            grid_html(equivalent.output, digits=2, caption="conv2d of these"),
        )
    )
    st.caption(
        f"Padding each side by d·(k − 1) − p = {top} (rows) and {left} (columns) and "
        f"correlating with the rotated kernel gives the transposed convolution: largest "
        f"difference {largest_difference(equivalent.output, out):.2g}. Libraries do not "
        "compute it this way: most of the inserted cells are zeros."
    )


def checkerboard_view(kernel_size: int, stride: int) -> None:
    result = checkerboard(8, kernel_size, stride)
    left, right = st.columns(2)
    for column, values, title in (
        (
            left,
            result.transposed,
            f"transposed conv, {kernel_size} x {kernel_size} box, stride {stride}",
        ),
        (right, result.resized, f"resize x{stride} then {kernel_size} x {kernel_size} box"),
    ):
        with column:
            picture = colour_map(values, signed=False, limit=float(values.max()))
            show_picture(upscale_nearest(picture, 320), caption=title)
    even = kernel_size % stride == 0
    st.markdown(
        f"A flat input should give a flat output. Stamps per output row: "
        f"{', '.join(map(str, result.row_counts[:12]))}, … "
        + (
            f"({kernel_size} is a multiple of {stride}: every inner cell gets the same number, "
            "so the middle is flat)."
            if even
            else f"({kernel_size} is not a multiple of {stride}: neighbours get "
            f"{result.row_counts[kernel_size : kernel_size + 2].tolist()} stamps, a checkerboard)."
        )
        + f" The inner values vary by {result.spread:.0%} against {result.resized_spread:.0%} "
        "for resize-then-convolve (Odena, Dumoulin & Olah, Distill 2016)."
    )
