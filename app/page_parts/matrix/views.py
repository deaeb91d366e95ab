"""The Convolution-as-matrix page's views: im2col and its product, the convolution
matrix, and the backward pass, all on the page's small example."""

from __future__ import annotations

import numpy as np
import streamlit as st

from app.widgets.numbers.charts import heatmap
from app.widgets.numbers.number_grid import (
    counted,
    format_value,
    grid_html,
    row_html,
    show_html,
    sign_html,
)
from cnn_core.agreement import largest_difference
from cnn_core.describe import describe_matrix
from cnn_core.gradients import (
    conv2d_input_grad,
    conv2d_kernel_grad,
    input_gradient_terms,
    kernel_gradient_terms,
)
from cnn_core.matrix import column_product, matrix_counts, reshape_output, window_of_column
from cnn_core.window import window_corners

from .example import Example


def _window_mask(example: Example, chosen: tuple[int, int]) -> np.ndarray:
    """The input cells under output ``chosen``'s window (its taps, padding left out)."""
    (top, left), (bottom, right) = window_corners(
        example.x.shape, example.kernel.shape, *chosen, **example.geometry
    )
    mask = np.zeros(example.x.shape, bool)
    step_r, step_c = (example.geometry["dilation"],) * 2
    for r in range(top, bottom + 1, step_r):
        for c in range(left, right + 1, step_c):
            if 0 <= r < mask.shape[0] and 0 <= c < mask.shape[1]:
                mask[r, c] = True
    return mask


def forward_view(example: Example, *, chart_key: str, on_pick_column) -> None:
    """x * k = y, then the same as one matrix product: the flattened kernel times im2col."""
    chosen = np.zeros(example.output.shape, bool)
    chosen[example.chosen] = True
    show_html(
        row_html(
            grid_html(
                example.x, highlight=_window_mask(example, example.chosen), caption="input x"
            ),
            sign_html("&lowast;"),
            grid_html(example.kernel, caption="kernel k"),
            sign_html("="),
            grid_html(example.output, highlight=chosen, caption="output y = conv2d(x, k)"),
        )
    )
    columns = example.columns
    highlight = np.zeros(columns.shape, bool)
    highlight[:, example.column] = True
    product = column_product(example.kernel, columns, example.column, order=example.order)
    weights = product.weights[None]
    row_of_products = (weights @ columns).astype(np.float32)
    picked = np.zeros(row_of_products.shape, bool)
    picked[0, example.column] = True
    st.markdown(
        f"**im2col**: each of the {columns.shape[1]} windows becomes a column of "
        f"{columns.shape[0]} values. Column {example.column} is the window of output "
        f"{example.chosen} (outlined above and below); click a column, or choose its number "
        "above, to trace another."
    )
    show_html(
        row_html(
            grid_html(weights, caption="flattened kernel (1 row)"),
            sign_html("&times;"),
            grid_html(
                columns,
                highlight=highlight,
                caption=f"im2col(x): {columns.shape[0]} x {columns.shape[1]}",
            ),
            sign_html("="),
            grid_html(row_of_products, highlight=picked, caption="one row of outputs"),
        )
    )
    terms = " + ".join(
        f"{format_value(w)}·{format_value(v)}" for w, v in zip(product.weights, product.values)
    )
    st.html(f'<p class="cs-column-sum">{terms} = <b>{format_value(product.total, 4)}</b></p>')
    reshaped = reshape_output(row_of_products[0], example.output.shape, order=example.order)
    st.caption(
        f"Reshaped {'row by row' if example.order == 'row' else 'column by column'} into "
        f"{example.output.shape[0]} x {example.output.shape[1]}, the row is the output: the "
        f"largest difference from conv2d is {largest_difference(reshaped, example.output):.2g}."
    )
    outputs = [
        window_of_column(
            j, example.x.shape, example.kernel.shape, order=example.order, **example.geometry
        )
        for j in range(columns.shape[1])
    ]
    hover = [
        [
            f"column {j}: output {outputs[j]}<br>row {i}, value {columns[i, j]:.4g}"
            for j in range(columns.shape[1])
        ]
        for i in range(columns.shape[0])
    ]
    figure = heatmap(
        columns,
        hover=hover,
        x_title="window (column)",
        y_title="kernel tap (row)",
        height=260,
        clickable=True,
    )
    st.plotly_chart(
        figure, on_select=on_pick_column, selection_mode="points", key=chart_key, width="stretch"
    )
    kh, kw = example.kernel.shape
    # The heat map in numbers (hover values never reach a screen reader).
    st.caption(
        "The heat map in numbers: "
        + describe_matrix(
            columns,
            "im2col(x)",
            rows=f"one per kernel tap of the {kh} x {kw} kernel",
            columns="one per window, that is one per output pixel",
        )
        + "."
    )


def picked_column(chart_key: str) -> int | None:
    """The im2col column the user clicked on the heat map, if any."""
    event = st.session_state.get(chart_key)
    points = getattr(getattr(event, "selection", None), "points", None) or []
    if not points:
        return None
    x = points[0].get("x")
    return int(x) if isinstance(x, (int, float)) else None


def matrix_view(example: Example) -> None:
    """The convolution matrix M: y = M x, its weight sharing and its zeros."""
    counts = matrix_counts(example.matrix)
    height, width = example.x.shape
    hover = [
        [
            f"output {divmod(r, example.output.shape[1])} ← input {divmod(c, width)}"
            f"<br>weight {example.matrix[r, c]:.4g}"
            for c in range(counts.columns)
        ]
        for r in range(counts.rows)
    ]
    st.plotly_chart(
        heatmap(
            example.matrix,
            hover=hover,
            x_title="input pixel (row by row)",
            y_title="output pixel",
            height=max(260, min(620, 18 * counts.rows)),
        ),
        width="stretch",
    )
    st.caption(
        "The heat map in numbers: "
        + describe_matrix(
            example.matrix,
            "M",
            rows="one per output pixel, row by row",
            columns="one per input pixel, row by row",
        )
        + "."
    )
    st.markdown(
        f"**M** is {counts.rows} x {counts.columns}: one row per output, one column per input "
        f"pixel. Only {counts.nonzero} of its {counts.total} entries are not zero "
        f"({counts.nonzero / counts.total:.0%}), the locality of a convolution, and they "
        f"take just {counted(counts.distinct, 'distinct value')}, the kernel's weights "
        "repeated row after row: weight sharing. A fully connected layer between the same "
        f"pixels would learn all {counts.total} entries."
    )
    flat = example.matrix @ example.x.ravel()
    st.caption(
        f"M @ x.ravel(), reshaped, equals conv2d(x, k): largest difference "
        f"{largest_difference(flat.reshape(example.output.shape), example.output):.2g}."
    )


def backward_view(example: Example, cell: tuple[int, int]) -> None:
    """dL/dx = M.T δ (a transposed convolution of δ with k) and dL/dk = im2col(x) δ."""
    through_matrix = (example.matrix.T @ example.grad.ravel()).reshape(example.x.shape)
    through_conv = conv2d_input_grad(
        example.grad, example.kernel, example.x.shape, **example.geometry
    )
    kernel_grad = conv2d_kernel_grad(
        example.x, example.grad, example.kernel.shape, **example.geometry
    )
    stride_one = example.geometry["stride"] == 1
    how = (
        "the full convolution of δ with the kernel rotated 180 degrees"
        if stride_one
        else "a transposed convolution of δ with the kernel (each δ stamps the kernel back)"
    )
    show_html(
        row_html(
            grid_html(example.grad, caption="upstream gradient δ = dL/dy"),
            sign_html("&rarr;"),
            grid_html(through_matrix, caption="dL/dx = Mᵀ δ"),
            grid_html(through_conv, caption="dL/dx as a convolution"),
            grid_html(kernel_grad, caption="dL/dk"),
        )
    )
    st.caption(
        f"dL/dx computed two ways, Mᵀ δ and {how}, differ by at most "
        f"{largest_difference(through_matrix, through_conv):.2g}."
    )
    terms = input_gradient_terms(
        example.grad, example.kernel, example.x.shape, *cell, **example.geometry
    )
    written = (
        " + ".join(
            f"{format_value(g)}·{format_value(w)}" for g, w in zip(terms.gradients, terms.factors)
        )
        or "0"
    )
    st.html(
        f"<p>dL/dx{cell} sums δ times the weight that read this pixel, over the "
        f"{counted(len(terms.sources), 'output')} whose windows cover it: "
        f'<span class="cs-input-grad">{written} = <b>{format_value(terms.total, 4)}</b></span></p>'
    )
    tap = kernel_gradient_terms(
        example.x, example.grad, example.kernel.shape, (0, 0), **example.geometry
    )
    written = " + ".join(
        f"{format_value(g)}·{format_value(v)}" for g, v in zip(tap.gradients, tap.factors)
    )
    st.html(
        "<p>dL/dk[0, 0] sums δ times the input value tap (0, 0) read, over every output "
        f'(a correlation of x with δ): <span class="cs-kernel-grad">{written} = '
        f"<b>{format_value(tap.total, 4)}</b></span></p>"
    )
