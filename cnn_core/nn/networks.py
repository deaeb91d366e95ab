"""Real ImageNet classifiers from torchvision, opened up on the user's own photo.

Each network comes with its weights enum, which carries everything needed to use it as
trained: the preprocessing (``weights.transforms()``: resize, centre crop, normalise),
the 1,000 class names (``weights.meta["categories"]``) and the URL of the weights.
Weights are downloaded on first use into torch's usual cache
(``torch.hub.get_dir()/checkpoints``), never at import or start-up; a classroom server
fetches them ahead of time with

    python -m cnn_core.nn.networks fetch alexnet vgg16 resnet18 mobilenet_v3_small

Offline, ``WeightsUnavailable`` names the file, the URL and the cache folder. Every
function also works with ``pretrained=False`` (random weights), which is how the tests
run without a network connection. The checkpoint files are PyTorch pickles; they are
read with ``torch.load(weights_only=True)``, which restores tensors only.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torchvision import models
from torchvision.models.feature_extraction import create_feature_extractor

from .network_fields import network_receptive_fields


@dataclass(frozen=True)
class NetworkSpec:
    """One classifier: how to build it, and the stages the pages show."""

    name: str
    label: str
    builder: Callable[..., nn.Module]
    weights: object  # the torchvision weights enum value
    stages: dict[str, str]  # module name -> what to call its output on the page
    first_conv: str  # the module holding the first layer's filters


NETWORKS: dict[str, NetworkSpec] = {
    spec.name: spec
    for spec in (
        NetworkSpec(
            "alexnet",
            "AlexNet (2012)",
            models.alexnet,
            models.AlexNet_Weights.IMAGENET1K_V1,
            {
                "features.1": "conv1 + ReLU",
                "features.4": "conv2 + ReLU",
                "features.7": "conv3 + ReLU",
                "features.9": "conv4 + ReLU",
                "features.11": "conv5 + ReLU",
            },
            "features.0",
        ),
        NetworkSpec(
            "vgg16",
            "VGG-16 (2014)",
            models.vgg16,
            models.VGG16_Weights.IMAGENET1K_V1,
            {
                "features.3": "block 1",
                "features.8": "block 2",
                "features.15": "block 3",
                "features.22": "block 4",
                "features.29": "block 5",
            },
            "features.0",
        ),
        NetworkSpec(
            "resnet18",
            "ResNet-18 (2015)",
            models.resnet18,
            models.ResNet18_Weights.IMAGENET1K_V1,
            {
                "relu": "stem",
                "layer1": "stage 1",
                "layer2": "stage 2",
                "layer3": "stage 3",
                "layer4": "stage 4",
            },
            "conv1",
        ),
        NetworkSpec(
            "mobilenet_v3_small",
            "MobileNetV3-Small (2019)",
            models.mobilenet_v3_small,
            models.MobileNet_V3_Small_Weights.IMAGENET1K_V1,
            {
                "features.0": "stem",
                "features.1": "stage 1",
                "features.3": "stage 2",
                "features.8": "stage 3",
                "features.12": "last conv",
            },
            "features.0.0",
        ),
    )
}
CHUNK = 1 << 20  # download in 1 MB pieces, reporting progress after each
_DOWNLOADING = threading.Lock()  # one download at a time per process (sessions share files)


class WeightsUnavailable(RuntimeError):
    """The trained weights are not in the cache and could not be downloaded."""


def spec_of(name: str) -> NetworkSpec:
    if name not in NETWORKS:
        raise ValueError(f"network must be one of {', '.join(NETWORKS)}; got {name!r}")
    return NETWORKS[name]


def cache_dir() -> Path:
    """Where torch keeps downloaded weights (``$TORCH_HOME/hub/checkpoints``)."""
    return Path(torch.hub.get_dir()) / "checkpoints"


def weights_file(name: str) -> Path:
    return cache_dir() / os.path.basename(spec_of(name).weights.url)


def weights_cached(name: str) -> bool:
    return weights_file(name).exists()


def download_weights(name: str, progress: Callable[[int, int], None] | None = None) -> Path:
    """Fetch the trained weights into the cache, reporting ``(bytes done, total)``.

    The file's SHA-256 must begin with the hash in its name (torchvision's convention);
    a partial or wrong download is removed. Raises ``WeightsUnavailable`` offline."""
    with _DOWNLOADING:
        return _download(name, progress)


def _download(name: str, progress) -> Path:
    url = spec_of(name).weights.url
    target = weights_file(name)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(target.suffix + ".partial")
    digest = hashlib.sha256()
    try:
        with urllib.request.urlopen(url, timeout=20) as response, open(partial, "wb") as out:
            total = int(response.headers.get("Content-Length") or 0)
            done = 0
            while chunk := response.read(CHUNK):
                out.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
    except (urllib.error.URLError, OSError, TimeoutError) as error:
        partial.unlink(missing_ok=True)
        raise WeightsUnavailable(offline_message(name, error)) from None
    expected = target.stem.rsplit("-", 1)[-1]
    if not digest.hexdigest().startswith(expected):
        partial.unlink(missing_ok=True)
        raise WeightsUnavailable(
            f"The download of {target.name} from {url} was damaged (its checksum does not "
            "match); try again."
        )
    partial.replace(target)
    return target


def offline_message(name: str, error: object = "") -> str:
    spec = spec_of(name)
    reason = getattr(error, "reason", error)
    return (
        f"The trained weights of {spec.label} are not on this server and could not be "
        f"downloaded{f' ({reason})' if reason else ''}. The file {weights_file(name).name} "
        f"comes from {spec.weights.url} and belongs in {cache_dir()}. On a machine with "
        f"internet, run `python -m cnn_core.nn.networks fetch {name}` (or copy the file into "
        "that folder)."
    )


def load_network(name: str, *, pretrained: bool = True) -> nn.Module:
    """The network in eval mode with gradients off; trained weights must be cached
    (``download_weights``) unless ``pretrained=False``."""
    spec = spec_of(name)
    if pretrained and not weights_cached(name):
        raise WeightsUnavailable(offline_message(name))
    model = spec.builder(weights=spec.weights if pretrained else None)
    model.eval()
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    for module in model.modules():
        # In-place activations overwrite the very maps Grad-CAM and feature extraction read.
        if getattr(module, "inplace", False):
            module.inplace = False
    return model


def class_names(name: str) -> list[str]:
    """The 1,000 ImageNet class names, from the weights enum (no download needed)."""
    return list(spec_of(name).weights.meta["categories"])


def preprocess(name: str, rgb: np.ndarray) -> torch.Tensor:
    """An ``(H, W, 3)`` float RGB photo in [0, 1] as the network's input ``(1, 3, S, S)``:
    the weights' own transforms (resize, centre crop, normalise)."""
    image = torch.from_numpy(np.ascontiguousarray(np.moveaxis(np.asarray(rgb, np.float32), 2, 0)))
    return spec_of(name).weights.transforms(antialias=True)(image)[None]


def shown_input(name: str, batch: torch.Tensor) -> np.ndarray:
    """The network's input un-normalised back to an ``(S, S, 3)`` picture in [0, 1]."""
    transform = spec_of(name).weights.transforms()
    mean = torch.tensor(transform.mean)[:, None, None]
    std = torch.tensor(transform.std)[:, None, None]
    return (batch[0] * std + mean).clamp(0, 1).permute(1, 2, 0).numpy()


@dataclass(frozen=True)
class Prediction:
    classes: list[tuple[str, float]]  # the top classes with their probabilities
    stages: dict[str, np.ndarray]  # stage module name -> (C, h, w) activations


def _extractor(model: nn.Module, nodes: list[str]) -> nn.Module:
    cache = model.__dict__.setdefault("_convscope_extractors", {})
    key = tuple(nodes)
    if key not in cache:
        cache[key] = create_feature_extractor(model, return_nodes={n: n for n in nodes})
    return cache[key]


def predict(name: str, model: nn.Module, batch: torch.Tensor, *, top: int = 5) -> Prediction:
    """Top classes and every stage's activations, from one forward pass."""
    spec = spec_of(name)
    last = list(dict(model.named_children()))[-1]  # the classifier: its output is the scores
    nodes = [*spec.stages, last]
    with torch.no_grad():
        outputs = _extractor(model, nodes)(batch)
    scores = outputs[last][0]
    probabilities = torch.softmax(scores, dim=0)
    values, indices = probabilities.topk(top)
    names = class_names(name)
    classes = [(names[int(i)], float(v)) for v, i in zip(values, indices)]
    stages = {node: outputs[node][0].numpy() for node in spec.stages}
    return Prediction(classes, stages)


def most_active(maps: np.ndarray, count: int) -> list[int]:
    """The channels with the largest mean activation, strongest first."""
    means = maps.reshape(maps.shape[0], -1).mean(axis=1)
    return [int(i) for i in np.argsort(-means)[:count]]


def first_layer_filters(name: str, model: nn.Module) -> np.ndarray:
    """The first convolution's filters, ``(F, 3, k, k)``."""
    module = dict(model.named_modules())[spec_of(name).first_conv]
    return module.weight.detach().numpy().copy()


def stage_fields(name: str, model: nn.Module, input_size: int = 224) -> dict:
    """Stage module name -> receptive field, from the real graph."""
    fields = network_receptive_fields(model, (input_size, input_size))
    return {node: fields[node] for node in spec_of(name).stages}


def effective_field(model: nn.Module, batch: torch.Tensor, node: str, unit) -> np.ndarray:
    """``|d activation / d input|`` of ``unit`` = (channel, row, col) of module ``node``,
    summed over colour channels: the effective receptive field on this very photo."""
    x = batch.clone().requires_grad_(True)
    output = _extractor(model, [node])(x)[node]
    channel, row, col = unit
    output[0, channel, row, col].backward()
    return x.grad[0].abs().sum(dim=0).numpy()


def stage_channels(name: str, model: nn.Module) -> dict[str, int]:
    """Stage module name -> how many channels (maps) it has."""
    with torch.no_grad():
        outputs = _extractor(model, list(spec_of(name).stages))(torch.zeros(1, 3, 224, 224))
    return {node: int(value.shape[1]) for node, value in outputs.items()}


def every_network_field() -> dict[str, dict]:
    """The stage fields of every network here, and of ResNet-50 (for the comparison with
    Araujo et al.), from architectures with random weights (geometry needs no training)."""
    fields = {
        name: stage_fields(name, spec.builder(weights=None)) for name, spec in NETWORKS.items()
    }
    every = network_receptive_fields(models.resnet50(weights=None))
    fields["resnet50"] = {n: every[n] for n in ("layer1", "layer2", "layer3", "layer4")}
    return fields


# Araujo, Norris & Sim, Distill 2019, table of receptive fields (size / jump).
PUBLISHED_FIELDS = {
    "alexnet": ("features.12", 195, 32),
    "vgg16": ("features.30", 212, 32),
    "resnet50": ("layer4", 483, 32),
}


def fetch_main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cnn_core.nn.networks",
        description="Download the trained weights of the real networks into torch's cache.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    fetch = commands.add_parser("fetch", help="download weights ahead of a class")
    fetch.add_argument("names", nargs="*", help=f"any of {', '.join(NETWORKS)} (default: all)")
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if name not in NETWORKS]
    if unknown:
        parser.error(f"unknown network {', '.join(unknown)}; choose from {', '.join(NETWORKS)}")
    failed = 0
    for name in args.names or list(NETWORKS):

        def report(done: int, total: int, name=name) -> None:
            share = f"{done / total:5.1%}" if total else f"{done / 1e6:.0f} MB"
            sys.stderr.write(f"\r{name}: {share}")

        try:
            path = download_weights(name, report)
            sys.stderr.write(f"\r{name}: {path} ({path.stat().st_size / 1e6:.0f} MB)\n")
        except WeightsUnavailable as error:
            sys.stderr.write(f"\r{error}\n")
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(fetch_main())
