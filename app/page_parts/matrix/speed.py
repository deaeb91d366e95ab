"""The speed table: five ways to compute one convolution, timed live on the user's image."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.shell.warm_start import warm_torch
from cnn_core.speed import METHOD_LABELS, METHODS, fft_crossover, time_methods

KERNEL_SIZES = (3, 7, 15, 31)


def speed_view(gray, *, result_key: str) -> None:
    """A button that times every method on ``gray``; the last table stays for the session."""
    height, width = gray.shape
    st.markdown(
        f"Each method computes the same feature map of your {height} x {width} image "
        "('valid' padding, a random kernel of each size). Times are medians of five runs, "
        "measured now on this server."
    )
    if st.button("Measure", icon=":material/timer:", key=f"{result_key}_button"):
        warm_torch()
        with st.spinner("Timing five methods at four kernel sizes..."):
            st.session_state[result_key] = ((height, width), time_methods(gray, KERNEL_SIZES))
    stored = st.session_state.get(result_key)
    if not stored:
        return
    shape, timings = stored
    table = pd.DataFrame(
        {
            METHOD_LABELS[name]: [
                "too large" if t.milliseconds[name] is None else f"{t.milliseconds[name]:.2f}"
                for t in timings
            ]
            for name in METHODS
        },
        index=pd.Index([f"{t.kernel} x {t.kernel}" for t in timings], name="kernel"),
    )
    st.dataframe(table, width="stretch")
    worst = max(t.largest_difference for t in timings)
    direct = fft_crossover(timings, against="direct")
    opencv = fft_crossover(timings, against="opencv")
    st.caption(
        f"Milliseconds on a {shape[0]} x {shape[1]} image; all five agree to {worst:.1g}. "
        + (
            f"The FFT beats the direct sum from {direct} x {direct} here"
            if direct
            else "The FFT did not beat the direct sum at these sizes here"
        )
        + (f" and OpenCV from {opencv} x {opencv}" if opencv else "")
        + ": the direct sum does k x k multiply-adds per pixel, growing with the kernel's "
        "area, while the FFT's cost is a few transforms of the whole image, whatever the "
        "kernel's size. OpenCV switches to a DFT by itself for kernels from 11 x 11."
    )
