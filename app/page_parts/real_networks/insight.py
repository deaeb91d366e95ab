"""The Real networks page's slower looks (attributions, what a channel wants) for one of
its networks: the network's occlusion patch, normalisation and preprocessing handed to
the generic views."""

from __future__ import annotations

import hashlib

import torch

from app.widgets.networks import network_insight
from cnn_core.nn.networks import preprocess, spec_of

# Occlusion patches on a 224-pixel input: a quarter of an object's width, half-overlapping;
# larger and batched for the slow VGG-16 (each forward pass ~150 ms here).
OCCLUSION = {"vgg16": {"window": 48, "stride": 24}}
DEFAULT_OCCLUSION = {"window": 32, "stride": 16}


def fingerprint(batch: torch.Tensor) -> str:
    return hashlib.sha256(batch.numpy().tobytes()).hexdigest()[:16]


def explain_view(name, model, batch, seen, target: int, label: str, layer: str, *, key: str):
    """Five attribution methods for ``target``; computed when asked, kept for the session."""
    network_insight.explain_view(
        model,
        batch,
        seen,
        target,
        label,
        layer,
        key=key,
        made_from=(name, fingerprint(batch)),
        occlusion=OCCLUSION.get(name, DEFAULT_OCCLUSION),
        slow_note=" (VGG-16: up to half a minute)",
    )


def features_view(name, model, layer: str, channel: int, steps: int, *, key: str) -> None:
    """What a channel wants, beside the samples that excite it most."""
    weights = spec_of(name).weights.transforms()
    network_insight.features_view(
        model,
        layer,
        channel,
        steps,
        key=key,
        made_from=name,
        shape=(3, 128, 128),
        mean=weights.mean,
        std=weights.std,
        prepare=lambda picture: preprocess(name, picture),
    )
