"""The architectures ``open_model`` takes by name, as a picker offers them: every
torchvision classification architecture, and, when the optional ``timm`` package is
installed, a short list of small timm models (``"timm:<name>"``)."""

from __future__ import annotations

import importlib.util

# Small timm convolutional networks (1.6 to 5.4 million parameters) whose every stage
# torch.fx traces, so every view of the Your model page works on them; each opens with
# random weights in about a second here.
SMALL_TIMM_MODELS = (
    "resnet10t",
    "mobilenetv3_small_050",
    "lcnet_050",
    "regnetx_002",
    "efficientnet_b0",
    "convnext_atto",
)
TIMM_INSTALL = "pip install 'convscope[timm]'"  # the optional extra in pyproject.toml


def torchvision_architectures() -> list[str]:
    """Every torchvision classification architecture ``open_model`` takes by name."""
    from torchvision import models

    return sorted(models.list_models(module=models))


def timm_architectures() -> list[str]:
    """``"timm:<name>"`` for each of the small timm models (every timm release the extra
    allows has them); empty when timm is not installed. timm itself is imported only when
    one is opened (0.6 s here)."""
    if importlib.util.find_spec("timm") is None:
        return []
    return [f"timm:{name}" for name in SMALL_TIMM_MODELS]
