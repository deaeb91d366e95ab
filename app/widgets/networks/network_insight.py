"""A classifier's slower looks, run on request: why this answer (five attribution
methods, Captum) and what a channel wants (feature visualisation, with the samples that
excite it), each with its button; feature visualisation with a progress bar and a stop
button. Results are kept in the session under the key the page gives, with what they
were made from (``made_from``: whatever names the model and the picture)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import streamlit as st
import torch

from cnn_core.describe import describe_image, number
from cnn_core.drawing import upscale_nearest
from cnn_core.nn.explain import METHODS, explain
from cnn_core.nn.feature_vis import top_examples, visualise_channel
from cnn_core.render import image_to_rgb

from ..pictures.described import show_image, show_image_row
from ..sources.image_source import sample_image, sample_keys, sample_manifest
from .attribution_view import show_attributions
from .network_views import as_rgb


def explain_view(
    model,
    batch: torch.Tensor,
    seen: np.ndarray,
    target: int,
    label: str,
    layer: str,
    *,
    key: str,
    made_from,
    occlusion: dict,
    slow_note: str = "",
) -> None:
    """Five attribution methods for class ``target`` (named ``label``), Grad-CAM at
    ``layer``; computed when asked, kept for the session. ``occlusion``: its window and
    stride."""
    wanted = (made_from, target, layer)
    stored = st.session_state.get(key)
    if stored and stored[0] != wanted:
        stored = None
    if st.button("Explain this answer", icon=":material/psychology:", key=f"{key}_button"):
        module = dict(model.named_modules())[layer]
        options = {"occlusion": occlusion}
        results = []
        with st.spinner("Five methods, dozens of passes through the network..."):
            for method in METHODS:
                results.append(
                    explain(method, model, batch, target, layer=module, **options.get(method, {}))
                )
        stored = (wanted, results)
        st.session_state[key] = stored
    if stored:
        show_attributions(as_rgb(seen), stored[1], label)
    else:
        st.caption(
            f"Saliency, SmoothGrad, integrated gradients, Grad-CAM at `{layer}` and occlusion "
            f"for '{label}'. They take a few seconds{slow_note}."
        )


def features_view(
    model,
    layer: str,
    channel: int,
    steps: int,
    *,
    key: str,
    made_from,
    shape: tuple[int, int, int],
    mean,
    std,
    prepare: Callable[[np.ndarray], torch.Tensor],
) -> None:
    """What a channel wants (gradient ascent on an input of ``shape`` (C, H, W),
    normalised with ``mean``/``std``), beside the samples that excite it most
    (``prepare`` turns a sample picture into the model's input)."""
    stop_key = f"{key}_stop"
    left, right = st.columns(2)
    run = left.button("Visualise this channel", icon=":material/auto_awesome:", key=f"{key}_button")
    right.button(
        "Stop",
        icon=":material/stop:",
        key=f"{key}_stop_button",
        on_click=lambda: st.session_state.__setitem__(stop_key, True),
    )
    wanted = (made_from, layer, channel, steps)
    if run:
        st.session_state[stop_key] = False
        bar = st.progress(0.0, text="Gradient ascent on the input...")
        result = visualise_channel(
            model,
            layer,
            channel,
            shape=shape,
            steps=steps,
            learning_rate=0.05,
            jitter=4,
            mean=mean,
            std=std,
            seed=channel,
            progress=lambda done, total: bar.progress(done / total, text=f"Step {done} of {total}"),
            should_stop=lambda: st.session_state.get(stop_key, False),
        )
        bar.empty()
        st.session_state[key] = (wanted, result)
    stored = st.session_state.get(key)
    if not stored or stored[0] != wanted:
        st.caption(
            f"Press the button to find the picture channel {channel} of `{layer}` "
            f"answers to most ({steps} steps)."
        )
        return
    result = stored[1]
    picture, samples = st.columns([1, 2])
    with picture:
        show_image(
            upscale_nearest(image_to_rgb(as_rgb(result.image)), 256),
            alt=describe_image(result.image, f"The input channel {channel} of {layer} wants most"),
            caption=f"channel {channel} of {layer}"
            + ("" if result.finished else f" (stopped after {len(result.activations)} steps)"),
        )
    with samples:
        keys = sample_keys()
        batch = torch.cat([prepare(sample_image(k, 256)) for k in keys])
        order, values = top_examples(model, layer, channel, batch, count=3)
        titles = {e["key"]: e["title"] for e in sample_manifest()}
        show_image_row(
            [sample_image(keys[i], 256) for i in order],
            width=160,
            alts=[
                f"{titles[keys[i]]}: channel {channel} at {number(v)} on average"
                for i, v in zip(order, values)
            ],
            captions=[f"{titles[keys[i]]}: {v:.2f}" for i, v in zip(order, values)],
        )
        st.caption("The three samples that excite this channel most (mean activation).")
    first, last = result.activations[0], result.activations[-1]
    st.caption(
        f"Starting from faint noise, {len(result.activations)} steps raised the channel's "
        f"mean activation from {first:.3g} to {last:.3g}, with jitter, a total-variation "
        "penalty and a Fourier parameterisation keeping the picture smooth (Olah et al., "
        "Distill 2017). With random weights a channel wants noise."
    )
