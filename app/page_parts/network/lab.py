"""The Network page's experiments: learned kernels against classic ones, kernel surgery,
why the network answered as it did, and the model card."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app.widgets.controls import keyed
from app.widgets.networks.attribution_view import show_attributions
from app.widgets.numbers.number_grid import grid_html, row_html, show_html
from cnn_core import KERNELS
from cnn_core.describe import describe_confusion
from cnn_core.kernel_similarity import closest_classic, padded_to
from cnn_core.kernel_text import KernelError, parse_kernel
from cnn_core.kernels import kernel_label
from cnn_core.nn.digit_net import as_batch
from cnn_core.nn.explain import METHODS, explain

# The lab's scratch values (declared by the page): the replaced kernels ({index: 5 x 5}),
# the changed model built from them, and the surgery controls.
LAB_SCRATCH = ("surgery", "surgery_model", "surgery_index", "surgery_with", "surgery_text")


def surgery(state) -> dict[int, np.ndarray]:
    return st.session_state.get(state.scratch("surgery"), {})


def learned_versus_classic(model) -> None:
    """Each learned first-layer kernel next to the classic kernel it resembles most."""
    kernels = model.conv1.weight.detach().numpy().sum(axis=1)  # (maps, k, k), channels summed
    cells = []
    for index, kernel in enumerate(kernels):
        name, similarity = closest_classic(kernel)
        classic = padded_to(KERNELS[name], kernel.shape[0])
        sign = "" if similarity >= 0 else "minus "
        cells.append(
            '<div style="margin:0 1rem 1rem 0">'
            f"<b>kernel {index}</b>"
            + row_html(
                grid_html(kernel, digits=1, font_size="0.65rem", caption="learned"),
                grid_html(
                    classic if similarity >= 0 else -classic,
                    digits=1,
                    font_size="0.65rem",
                    caption=f"{sign}{kernel_label(name)}",
                ),
                gap="0.4rem",
                align=None,
                wrap=False,
            )
            + f"<small>correlation {similarity:+.2f}</small></div>"
        )
    show_html(row_html(*cells, gap=None, align=None))
    st.caption(
        "Correlation of the weights after removing each kernel's mean (1: the same pattern, "
        "-1: the same pattern with the sign flipped). Learned kernels are rarely exact copies: "
        "they mix edge detection with smoothing, which is why a few classic shapes show up."
    )


def kernel_surgery(state, model) -> None:
    """Replace a learned first-layer kernel, or zero it, and see the answer change."""
    left, middle, right = st.columns([1, 1.3, 1.5])
    index = keyed.selectbox(
        "Kernel to replace",
        range(model.conv1.weight.shape[0]),
        key=state.scratch("surgery_index"),
        where=left,
    )
    choice = keyed.selectbox(
        "Replace it with",
        ["zeros", "custom", *KERNELS],
        key=state.scratch("surgery_with"),
        where=middle,
        format_func=lambda n: (
            {"zeros": "zeros (switch it off)", "custom": "your own 5x5"}.get(n) or kernel_label(n)
        ),
    )
    replacement = np.zeros((5, 5), np.float32)
    if choice == "custom":
        text = keyed.text_input(
            "Your kernel (5 rows of 5)",
            value="0 0 0 0 0; 0 1 1 1 0; 0 1 1 1 0; 0 1 1 1 0; 0 0 0 0 0",
            key=state.scratch("surgery_text"),
            where=middle,
        )
        try:
            replacement = padded_to(parse_kernel(text), 5)
        except KernelError as error:
            middle.error(str(error))
            return
    elif choice != "zeros":
        replacement = padded_to(KERNELS[choice], 5)

    def apply() -> None:
        st.session_state[state.scratch("surgery")] = {**surgery(state), int(index): replacement}

    def reset() -> None:
        st.session_state.pop(state.scratch("surgery"), None)

    with right:
        st.button("Apply", icon=":material/healing:", on_click=apply, width="stretch")
        st.button(
            "Reset to the trained weights",
            icon=":material/restart_alt:",
            on_click=reset,
            width="stretch",
            disabled=not surgery(state),
        )
        if surgery(state):
            st.caption(
                "Replaced kernels: "
                + ", ".join(str(i) for i in sorted(surgery(state)))
                + ". The probabilities above compare both networks."
            )


CAM_LAYERS = ("conv1", "relu1", "conv2", "relu2")


def why_this_answer(model, prepared: np.ndarray, target: int, label: str, cam_layer: str):
    """Five attribution methods (Captum) for the predicted class, over the input."""
    batch = as_batch(prepared)
    layer = dict(model.named_modules())[cam_layer]
    window = max(2, model.config.side // 7)
    options = {"occlusion": {"window": window, "stride": max(1, window // 2)}}
    attributions = [
        explain(method, model, batch, target, layer=layer, **options.get(method, {}))
        for method in METHODS
    ]
    picture = prepared[0] if prepared.shape[0] == 1 else np.moveaxis(prepared, 0, 2)
    show_attributions(picture, attributions, label)


def model_card(card: dict) -> None:
    """The card written by training: data, settings, accuracy, confusion matrix."""
    names = card.get("class_names", [str(d) for d in range(10)])
    trained = card.get("train_digits", card.get("train_pictures", 0))
    held = card.get("heldout_digits", card.get("heldout_pictures", 0))
    accuracy = card.get("heldout_accuracy")
    shown = "not measured (nothing held out)" if accuracy is None else f"{accuracy:.1%}"
    training = card.get("training", {})
    st.markdown(
        f"**{card.get('name', 'Model')}**: {card['architecture']}, "
        f"{card['parameters']:,} weights.  \n"
        f"**Data:** {card.get('data', 'pictures from this session')} ({trained:,} trained on, "
        f"{held:,} held out).  \n"
        f"**Held-out accuracy:** {shown}.  \n"
        f"**Training:** {training.get('epochs', '?')} epochs, seed {training.get('seed', 0)}, "
        f"{card.get('training_seconds', '?')} s on the CPU; augmentation: "
        + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in card.get("augmentation", {}).items())
    )
    for warning in card.get("warnings", []):
        st.warning(warning)
    if card.get("per_class_accuracy"):
        per_class = pd.DataFrame(
            {"accuracy": [f"{a:.0%}" for a in card["per_class_accuracy"]]},
            index=pd.Index(names, name="class"),
        ).T
        st.dataframe(per_class, width="stretch")
    if card.get("confusion_matrix"):
        confusion_view(np.asarray(card["confusion_matrix"]), names)
    versions = ", ".join(f"{k} {v}" for k, v in card.get("versions", {}).items())
    st.caption(f"Built with {versions}.")


def confusion_view(confusion: np.ndarray, names: list[str]) -> None:
    """The confusion matrix: a heat map with each cell's count written in it, its summary
    in words (accuracy, the most frequent mistakes) and every count as a table."""
    if len(names) != len(confusion):  # a card that does not name every class
        names = [str(k) for k in range(len(confusion))]
    st.plotly_chart(confusion_figure(confusion.tolist(), names), width="stretch")
    st.caption(
        "Rows: the true class; columns: the network's answer; each cell is a count of "
        f"held-out pictures. In numbers: {describe_confusion(confusion, names)}."
    )
    with st.expander("The counts as a table"):
        table = pd.DataFrame(
            confusion,
            index=pd.Index(names, name="true class"),
            columns=[f"answer {name}" for name in names],
        )
        st.table(table)


def confusion_figure(confusion, names: list[str]) -> go.Figure:
    """The confusion matrix as a heat map whose cells tell their counts on hover."""
    digits = list(names)
    figure = go.Figure(
        go.Heatmap(
            z=confusion,
            x=digits,
            y=digits,
            colorscale="Blues",
            text=confusion,
            texttemplate="%{text}",
            hovertemplate="true %{y}, said %{x}: %{z} pictures<extra></extra>",
            showscale=False,
        )
    )
    figure.update_layout(
        height=420,
        margin=dict(l=10, r=10, t=10, b=10),
        xaxis_title="the network's answer",
        yaxis_title="true class",
        yaxis_autorange="reversed",
        xaxis_type="category",  # every class named, not every other one
        yaxis_type="category",
    )
    return figure
