"""The models in a folder (weights + card), and what each expects as input.

Every model the app can open is a ``<name>.safetensors`` file with a ``<name>.json``
model card beside it: the shipped digit reader, and any model trained with
``python -m cnn_core.nn.train --images PATH``. The card says which classes the model tells
apart, the size and colour of its input, and how it was trained and measured.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..digits import preprocess_digit
from ..pictures import prepare_picture
from .model import MODEL_DIR, ModelError, load_card

DIGIT_CLASSES = [str(d) for d in range(10)]


@dataclass(frozen=True)
class ModelEntry:
    name: str  # the file stem
    weights: Path
    card: dict

    @property
    def title(self) -> str:
        return self.card.get("name", self.name)

    @property
    def class_names(self) -> list[str]:
        return list(self.card.get("class_names", DIGIT_CLASSES))

    @property
    def is_digits(self) -> bool:
        return self.card.get("kind", "digits") == "digits"

    @property
    def side(self) -> int:
        return int(self.card.get("config", {}).get("side", 28))

    @property
    def colour(self) -> str:
        return self.card.get("input", {}).get("colour", "gray")


def list_models(folder: Path = MODEL_DIR) -> list[ModelEntry]:
    """Every model with a readable card in ``folder``, the digit reader first."""
    entries = []
    for weights in sorted(Path(folder).glob("*.safetensors")):
        card_path = weights.with_suffix(".json")
        if not card_path.exists():
            continue
        try:
            card = load_card(card_path)
        except ModelError:
            continue
        entries.append(ModelEntry(weights.stem, weights, card))
    return sorted(entries, key=lambda e: (e.name != "digits", e.name))


def prepare_input(entry_or_card, picture: np.ndarray) -> np.ndarray:
    """A picture (gray ``(H, W)`` or RGB ``(H, W, 3)`` in [0, 1]) as the model's input
    ``(C, side, side)``: MNIST's preparation for digit models, resize-and-crop otherwise."""
    card = entry_or_card.card if isinstance(entry_or_card, ModelEntry) else entry_or_card
    if card.get("kind", "digits") == "digits":
        return preprocess_digit(picture)[None]
    picture = np.asarray(picture, np.float32)
    if picture.ndim == 2:
        picture = np.repeat(picture[..., None], 3, axis=2)
    side = int(card.get("config", {}).get("side", 32))
    return prepare_picture(picture, side, card.get("input", {}).get("colour", "rgb"))


def weights_bytes(model) -> bytes:
    """A model's weights as a ``.safetensors`` file, for a download."""
    from safetensors.torch import save

    return save({k: v.detach().contiguous() for k, v in model.state_dict().items()})
