"""Small CNNs on disk: weights and model cards, written, read and listed.

Every model the app can open is a ``<name>.safetensors`` file with a ``<name>.json``
model card beside it: the shipped digit reader (``assets/models/digits.*``, rebuilt by
``python -m cnn_core.nn.train``), and any model trained with
``python -m cnn_core.nn.train --images PATH``. The card says which classes the model tells
apart, the size and colour of its input, and how it was trained and measured. Weights are
read from safetensors only, never from a pickle.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..digits import preprocess_digit
from ..pictures import prepare_picture
from .digit_net import DigitNet, DigitNetConfig
from .model_card import DIGIT_CLASSES

MODEL_DIR = Path(__file__).resolve().parents[2] / "assets" / "models"
WEIGHTS_PATH = MODEL_DIR / "digits.safetensors"
CARD_PATH = MODEL_DIR / "digits.json"
HELDOUT_PATH = MODEL_DIR / "digits_heldout.npz"
# The 4,000 training digits of the same split, for training live in the app.
TRAIN_DIGITS_PATH = MODEL_DIR / "digits_train.npz"


class ModelError(ValueError):
    """A model that cannot be opened: weights missing, damaged or from another network, a
    card that cannot be read. The message says what to do (e.g. how to rebuild them)."""


def load_model(path: Path | None = None) -> DigitNet:
    """The trained network, from safetensors only. Cached: never change it in place."""
    return _load_model(Path(path) if path is not None else WEIGHTS_PATH)


def config_from_card(card: dict) -> DigitNetConfig:
    """The architecture a model card describes (older cards: the digit network)."""
    known = DigitNetConfig.__dataclass_fields__
    return DigitNetConfig(**{k: v for k, v in card.get("config", {}).items() if k in known})


@lru_cache(maxsize=8)
def _load_model(path: Path) -> DigitNet:
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    if not path.exists():
        raise ModelError(
            f"The trained weights are missing ({path.name}). Rebuild them with `make train`."
        )
    card_path = path.with_suffix(".json")
    config = config_from_card(load_card(card_path)) if card_path.exists() else DigitNetConfig()
    try:
        state = load_file(str(path))
        model = DigitNet(config)
        model.load_state_dict(state)
    except (SafetensorError, RuntimeError, ValueError, OSError) as error:
        raise ModelError(
            f"The weights file {path.name} is damaged or from another network ({error}). "
            "Rebuild it with `make train`."
        ) from None
    model.eval()
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    return model


@lru_cache(maxsize=1)
def heldout_digits() -> tuple[np.ndarray, np.ndarray]:
    """The 1,000 held-out digits (28 x 28 uint8) and their labels, shipped with the model:
    the network never trained on them."""
    with np.load(HELDOUT_PATH) as data:
        return data["images"], data["labels"]


def load_card(path: Path | None = None) -> dict:
    """The model card: data, split, training settings and measured accuracy."""
    path = Path(path) if path is not None else CARD_PATH
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise ModelError(f"The model card {Path(path).name} cannot be read ({error}).") from None


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


# A downloaded model file opens by itself (``cnn_core.open_model``): its safetensors
# metadata holds the network's configuration and the model card, as JSON text.
CONFIG_KEY = "convscope.config"
CARD_KEY = "convscope.card"


def weights_bytes(model: DigitNet, card: dict | None = None) -> bytes:
    """A model's weights as a ``.safetensors`` file, for a download: the configuration
    (and ``card``, when given) in its metadata, so the one file rebuilds the model."""
    from safetensors.torch import save

    # One entry without a card: safetensors writes its metadata table in no fixed order,
    # and a seed must write the same file byte for byte.
    metadata = {CONFIG_KEY: json.dumps(asdict(model.config))}
    if card is not None:
        metadata[CARD_KEY] = json.dumps(card)
    state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
    return save(state, metadata=metadata)


def write_model(out_dir: Path, stem: str, model: DigitNet, card: dict) -> None:
    """``<stem>.safetensors`` (its configuration in the metadata) and ``<stem>.json`` in
    ``out_dir``. The card stays out of the weights file: it holds the training time, and
    the same seed must write the same weights file byte for byte."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{stem}.safetensors").write_bytes(weights_bytes(model))
    (out_dir / f"{stem}.json").write_text(json.dumps(card, indent=2) + "\n")
