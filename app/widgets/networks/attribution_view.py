"""Attribution maps over the picture a network saw, one per method, each explained."""

from __future__ import annotations

import numpy as np
import streamlit as st

from cnn_core.describe import describe_map
from cnn_core.drawing import heat_overlay, signed_overlay, upscale_nearest
from cnn_core.nn.explain import METHOD_LABELS, Attribution

from ..pictures.described import show_image

WHAT_IT_SHOWS = {
    "saliency": "pixels whose small change would move the score most",
    "smoothgrad": "saliency averaged over noisy copies: less speckle",
    "integrated_gradients": "each pixel's share of the score, from black to this picture "
    "(red for, blue against)",
    "grad_cam": "where the chosen layer's maps found evidence",
    "occlusion": "the score's drop when a patch is greyed out (red: the patch helped)",
}
SIGNED = {"integrated_gradients", "occlusion"}


def show_attributions(picture: np.ndarray, attributions: list[Attribution], target: str) -> None:
    """Each attribution over ``picture`` (gray or RGB in [0, 1]), in a row of columns."""
    columns = st.columns(len(attributions))
    for column, attribution in zip(columns, attributions):
        overlay = (
            signed_overlay(picture, attribution.heat)
            if attribution.method in SIGNED
            else heat_overlay(picture, np.maximum(attribution.heat, 0))
        )
        with column:
            show_image(
                upscale_nearest(overlay, 224),
                alt=describe_map(attribution.heat, METHOD_LABELS[attribution.method]),
            )
            st.caption(
                f"**{METHOD_LABELS[attribution.method]}**: {WHAT_IT_SHOWS[attribution.method]}."
            )
            if attribution.method == "integrated_gradients":
                total = float(attribution.heat.sum())
                st.caption(
                    f"The attributions add up to {total:.4g}; the score for {target} is "
                    f"{attribution.score_difference:.4g} above the black picture's "
                    f"(convergence delta {attribution.delta:.2g})."
                )
            if attribution.method == "grad_cam" and not attribution.heat.any():
                st.caption(
                    "Empty: weighted by the score's gradients, this layer's maps add up to a "
                    "negative value everywhere, and Grad-CAM keeps only the positive part."
                )
