"""The 1-D convolution page's views: the two readings of a convolution, animated, and a
kernel learned by gradient descent."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from app.widgets.controls.stepper import play_interval, step_controls
from app.widgets.numbers.charts import line_chart
from app.widgets.numbers.number_grid import format_value, grid_html, row_html, show_html
from cnn_core.agreement import largest_difference
from cnn_core.gradients import LearningRun
from cnn_core.signals import conv1d, flip_and_filter, translate_and_scale


def _figure(height: int = 300) -> go.Figure:
    figure = go.Figure()
    figure.update_layout(
        height=height, margin=dict(l=10, r=10, t=10, b=10), legend=dict(orientation="h", y=-0.2)
    )
    return figure


def readings_view(x, w, *, view: str, step_key: str, play_key: str) -> None:
    """Translate-and-scale (one copy per weight) or flip-and-filter (one output per step)."""
    timer = play_interval(play_key)
    st.fragment(run_every=timer)(_reading)(x, w, view, step_key, play_key, timer is not None)


def _reading(x, w, view, step_key, play_key, timed) -> None:
    full = conv1d(x, w)
    t = np.arange(full.size)
    if view == "translate":
        copies = translate_and_scale(x, w)
        step = step_controls(
            step_key=step_key, play_key=play_key, steps=len(copies), timed=timed, label="Weight"
        )
        figure = _figure()
        figure.add_trace(
            go.Scatter(
                x=np.arange(x.size),
                y=x,
                mode="lines",
                line=dict(color="#999", dash="dot"),
                name="x",
            )
        )
        for copy in copies[: step + 1]:
            figure.add_trace(
                go.Scatter(
                    x=t,
                    y=copy.copy,
                    mode="lines",
                    line=dict(width=1),
                    name=f"w[{copy.shift}] = {copy.weight:g}, shifted {copy.shift}",
                )
            )
        so_far = np.sum([c.copy for c in copies[: step + 1]], axis=0)
        figure.add_trace(
            go.Scatter(
                x=t, y=so_far, mode="lines", line=dict(width=4, color="black"), name="sum so far"
            )
        )
        st.plotly_chart(figure, width="stretch")
        st.caption(
            f"x * w is a sum of copies of x: copy τ is shifted right by τ and scaled by w[τ]. "
            f"With {step + 1} of the {len(copies)} copies in, the black line is the sum so far; "
            "with all of them it is the convolution."
        )
        return
    step = step_controls(
        step_key=step_key, play_key=play_key, steps=full.size, timed=timed, label="Output"
    )
    filtered = flip_and_filter(x, w, step)
    figure = _figure()
    figure.add_trace(go.Scatter(x=np.arange(x.size), y=x, mode="lines+markers", name="x"))
    figure.add_trace(
        go.Bar(x=filtered.positions, y=filtered.flipped, name="flipped w, slid to t", opacity=0.5)
    )
    figure.add_trace(
        go.Scatter(
            x=t[: step + 1],
            y=full[: step + 1],
            mode="lines",
            line=dict(width=4, color="black"),
            name="x * w so far",
        )
    )
    st.plotly_chart(figure, width="stretch")
    terms = " + ".join(
        f"{format_value(float(v))}·{format_value(float(k))}"
        for v, k in zip(filtered.values, filtered.flipped)
    )
    total = format_value(filtered.total, 4)
    st.html(f'<p class="cs-1d-sum">(x * w)[{step}] = {terms} = <b>{total}</b></p>')


def edges_view(x, w) -> None:
    """The kernel as a detector: where the signal changes, the output is large."""
    correlated = conv1d(x, w, flip=False, mode="valid")
    st.plotly_chart(
        line_chart(
            {"x": x, "x ⋆ w (cross-correlation, 'valid')": correlated}, x_title="t", height=280
        ),
        width="stretch",
    )
    peak = int(np.argmax(np.abs(correlated)))
    st.caption(
        f"A sliding dot product with w = ({', '.join(format_value(float(v)) for v in w)}): "
        f"largest |response| {abs(float(correlated[peak])):.3g} at t = {peak}. With "
        "w = (−1, 1) each output is x[t + 1] − x[t]: zero where the signal is flat and large "
        "at a step. A random kernel responds at the step too, only less cleanly."
    )


def learning_view(run: LearningRun, hidden: np.ndarray, *, step_key: str, play_key: str):
    """The loss falling and the kernel converging to the hidden one, replayed step by step."""
    timer = play_interval(play_key)
    st.fragment(run_every=timer)(_learning)(run, hidden, step_key, play_key, timer is not None)


FRAMES = 40  # replayed snapshots of a run


def _learning(run: LearningRun, hidden, step_key, play_key, timed) -> None:
    steps = len(run.kernels) - 1
    frames = sorted({round(i * steps / (FRAMES - 1)) for i in range(FRAMES)})
    st.session_state.setdefault(step_key, len(frames) - 1)  # open on the outcome; Play replays
    frame = step_controls(
        step_key=step_key, play_key=play_key, steps=len(frames), timed=timed, label="Snapshot"
    )
    shown = frames[frame]
    left, right = st.columns([3, 2])
    with left:
        figure = line_chart(
            {"mean squared error": np.maximum(run.losses, 1e-20)},
            x_title="step",
            y_title="loss",
            log_y=True,
            height=300,
        )
        figure.add_vline(x=shown, line_dash="dot")
        st.plotly_chart(figure, width="stretch")
    with right:
        show_html(
            row_html(
                grid_html(run.kernels[shown], digits=2, caption=f"learned, step {shown}"),
                grid_html(hidden, digits=2, caption="hidden kernel"),
                gap="0.8rem",
                align=None,
            )
        )
    error = largest_difference(run.kernels[shown], hidden)
    st.markdown(
        f"Step {shown} of {steps}: loss **{run.losses[shown]:.3g}**, every weight within "
        f"**{error:.3g}** of the hidden kernel."
    )
