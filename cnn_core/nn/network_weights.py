"""The trained weights of the real networks: torch's cache, the download, and loading.

Weights are downloaded on first use into torch's usual cache
(``torch.hub.get_dir()/checkpoints``), never at import or start-up. Offline,
``WeightsUnavailable`` names the file, the URL and the cache folder. Every network also
loads with ``pretrained=False`` (random weights, drawn from a fixed seed: the same in
every session), which is how the tests run without a network connection. The checkpoint
files are PyTorch pickles; they are read by torchvision with
``torch.load(weights_only=True)``, which restores tensors only.
"""

from __future__ import annotations

import hashlib
import os
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import torch
from torch import nn

from .fixed_init import seeded
from .networks import spec_of

CHUNK = 1 << 20  # download in 1 MB pieces, reporting progress after each
_DOWNLOADING = threading.Lock()  # one download at a time per process (sessions share files)


class WeightsUnavailable(RuntimeError):
    """The trained weights are not in the cache and could not be downloaded."""


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
        f"comes from {spec.weights.url} and belongs in torch's weights folder on the server "
        f"(`$TORCH_HOME/hub/checkpoints`). On a machine with internet, run "
        f"`python -m cnn_core.nn.networks fetch {name}` (or copy the file into that folder)."
    )


def load_network(name: str, *, pretrained: bool = True) -> nn.Module:
    """The network in eval mode with gradients off; trained weights must be cached
    (``download_weights``) unless ``pretrained=False``."""
    spec = spec_of(name)
    if pretrained and not weights_cached(name):
        raise WeightsUnavailable(offline_message(name))
    model = seeded(spec.builder, weights=spec.weights if pretrained else None)
    model.eval()
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    for module in model.modules():
        # In-place activations overwrite the very maps Grad-CAM and feature extraction read.
        if getattr(module, "inplace", False):
            module.inplace = False
    return model
