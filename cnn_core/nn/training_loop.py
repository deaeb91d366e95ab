"""One training loop for every small CNN here: the command line's and the live page's.

A ``Trainer`` holds a model, its training and held-out pictures, an optimiser and a seeded
generator for the batches and the augmentation; ``step()`` trains on one batch and
``evaluate()`` measures the held-out pictures. The live page calls these from a
background thread and reads ``history`` to draw its curves; ``python -m cnn_core.nn.train``
calls them in a plain loop (``cnn_core.nn.digit_training``,
``cnn_core.nn.picture_training``). Training is deterministic for a seed: one thread, fixed
generators.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

OPTIMISERS = ("adam", "sgd")
OPTIMISER_LABELS = {"adam": "Adam", "sgd": "SGD with momentum 0.9"}


@dataclass(frozen=True)
class TrainSettings:
    learning_rate: float = 3e-3
    batch_size: int = 64
    optimiser: str = "adam"  # "adam", or "sgd" with momentum 0.9
    augment: bool = True  # random changes to every batch (see cnn_core.nn.augment)
    seed: int = 0  # fixes the initial weights, the batches and the augmentation
    weight_decay: float = 1e-4
    total_steps: int = 0  # > 0: the learning rate decays along a cosine to 0 over these steps


@dataclass
class History:
    """What training measured, in order: per step, and per held-out evaluation."""

    steps: list[int] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    held_steps: list[int] = field(default_factory=list)
    held_loss: list[float] = field(default_factory=list)
    held_accuracy: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Evaluation:
    loss: float
    accuracy: float
    confusion: np.ndarray  # (classes, classes): rows true, columns predicted


class Trainer:
    """Trains ``model`` on ``images`` (N, C, H, W) in [0, 1] with integer ``labels``."""

    def __init__(
        self,
        model: nn.Module,
        images: np.ndarray,
        labels: np.ndarray,
        held_images: np.ndarray,
        held_labels: np.ndarray,
        settings: TrainSettings,
        augment: Callable[[torch.Tensor, torch.Generator], torch.Tensor] | None = None,
    ):
        if settings.optimiser not in OPTIMISERS:
            raise ValueError(f"optimiser must be one of {', '.join(OPTIMISERS)}")
        if len(images) == 0:
            raise ValueError("there are no training pictures")
        self.model = model
        self.settings = settings
        self.images = torch.as_tensor(np.asarray(images, np.float32))
        self.labels = torch.as_tensor(np.asarray(labels, np.int64))
        self.held_images = torch.as_tensor(np.asarray(held_images, np.float32))
        self.held_labels = torch.as_tensor(np.asarray(held_labels, np.int64))
        self.augment = augment if settings.augment else None
        self.generator = torch.Generator().manual_seed(settings.seed)
        parameters = [p for p in model.parameters() if p.requires_grad]
        if settings.optimiser == "adam":
            self.optimiser = torch.optim.Adam(
                parameters, lr=settings.learning_rate, weight_decay=settings.weight_decay
            )
        else:
            self.optimiser = torch.optim.SGD(
                parameters,
                lr=settings.learning_rate,
                momentum=0.9,
                weight_decay=settings.weight_decay,
            )
        self.schedule = (
            torch.optim.lr_scheduler.CosineAnnealingLR(self.optimiser, T_max=settings.total_steps)
            if settings.total_steps > 0
            else None
        )
        self.history = History()
        self.steps_done = 0
        self._order = torch.empty(0, dtype=torch.int64)

    @property
    def steps_per_epoch(self) -> int:
        return math.ceil(len(self.images) / self.settings.batch_size)

    @property
    def epoch(self) -> float:
        """Passes over the training pictures so far."""
        return self.steps_done / self.steps_per_epoch

    def _next_batch(self) -> torch.Tensor:
        if len(self._order) == 0:
            self._order = torch.randperm(len(self.images), generator=self.generator)
        index, self._order = (
            self._order[: self.settings.batch_size],
            self._order[self.settings.batch_size :],
        )
        return index

    def step(self) -> tuple[float, float]:
        """Train on one batch; returns its loss and accuracy (before the update)."""
        self.model.train()
        index = self._next_batch()
        batch = self.images[index]
        if self.augment is not None:
            batch = self.augment(batch, self.generator)
        logits = self.model(batch)
        loss = F.cross_entropy(logits, self.labels[index])
        self.optimiser.zero_grad()
        loss.backward()
        self.optimiser.step()
        if self.schedule is not None:
            self.schedule.step()
        self.steps_done += 1
        accuracy = float((logits.argmax(1) == self.labels[index]).float().mean())
        self.history.steps.append(self.steps_done)
        self.history.train_loss.append(float(loss.detach()))
        self.history.train_accuracy.append(accuracy)
        return float(loss.detach()), accuracy

    def evaluate(self, *, record: bool = True) -> Evaluation:
        """Loss, accuracy and confusion matrix on the held-out pictures (added to the
        history unless ``record`` is False)."""
        self.model.eval()
        classes = self.model.config.classes if hasattr(self.model, "config") else None
        with torch.no_grad():
            logits = self.model(self.held_images) if len(self.held_images) else None
        if logits is None:
            return Evaluation(math.nan, math.nan, np.zeros((classes or 0,) * 2, np.int64))
        loss = float(F.cross_entropy(logits, self.held_labels))
        predicted = logits.argmax(1).numpy()
        truth = self.held_labels.numpy()
        confusion = confusion_matrix(truth, predicted, classes)
        accuracy = float((predicted == truth).mean())
        if record:
            self.history.held_steps.append(self.steps_done)
            self.history.held_loss.append(loss)
            self.history.held_accuracy.append(accuracy)
        return Evaluation(loss, accuracy, confusion)

    def train_epoch(self) -> Evaluation:
        for _ in range(self.steps_per_epoch):
            self.step()
        return self.evaluate()


def confusion_matrix(truth, predicted, classes: int | None = None) -> np.ndarray:
    """``(classes, classes)`` counts: row = true class, column = predicted class
    (``classes`` defaults to the largest label seen, plus one).

    >>> confusion_matrix([0, 1, 1], [0, 0, 1], 2).tolist()
    [[1, 0], [1, 1]]
    """
    truth, predicted = np.asarray(truth, np.int64), np.asarray(predicted, np.int64)
    size = classes or int(max(truth.max(), predicted.max()) + 1)
    confusion = np.zeros((size, size), np.int64)
    np.add.at(confusion, (truth, predicted), 1)
    return confusion


def evaluate(model: nn.Module, images: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """Accuracy and the confusion matrix of ``model`` on ``images`` (``(N, C, H, W)``, or
    ``(N, H, W)`` digits of one channel) with integer ``labels``."""
    model.eval()
    batch = torch.from_numpy(np.asarray(images, np.float32))
    batch = batch[:, None] if batch.ndim == 3 else batch  # (N, H, W) digits: one channel
    with torch.no_grad():
        predicted = model(batch).argmax(1).numpy()
    confusion = confusion_matrix(labels, predicted, model.config.classes)
    return float((predicted == np.asarray(labels)).mean()), confusion


def split_per_class(labels: np.ndarray, share: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices (train, held_out): ``share`` of each class held out (at least one picture
    when a class has two or more, none when it has one), chosen by ``seed``."""
    rng = np.random.default_rng(seed)
    held = []
    for c in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == c))
        count = 0 if len(members) < 2 else max(1, round(share * len(members)))
        held.extend(members[:count].tolist())
    held = np.array(sorted(held), dtype=np.int64)
    train = np.setdiff1d(np.arange(len(labels)), held)
    return train, held


def _progress(epoch: int, epochs: int, loss: float, accuracy: float) -> None:
    done = int(30 * epoch / epochs)
    bar = "#" * done + "-" * (30 - done)
    sys.stderr.write(
        f"\repoch {epoch:3d}/{epochs} [{bar}] loss {loss:.4f}  held-out {accuracy:6.2%}"
    )
    sys.stderr.flush()


def train_epochs(
    model: nn.Module,
    data: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    settings: TrainSettings,
    augment: Callable[[torch.Tensor, torch.Generator], torch.Tensor] | None,
    *,
    epochs: int,
    progress: bool = True,
) -> Trainer:
    """``model`` trained ``epochs`` epochs on ``data`` (images, labels, held-out images,
    held-out labels), its learning rate decaying to 0 over exactly those steps; with
    ``progress``, a progress bar on stderr."""
    steps = epochs * -(-len(data[0]) // settings.batch_size)
    trainer = Trainer(model, *data, replace(settings, total_steps=max(steps, 1)), augment)
    if progress:
        run_epochs(trainer, epochs)
    else:
        for _ in range(epochs):
            trainer.train_epoch()
    return trainer


def run_epochs(trainer: Trainer, epochs: int) -> None:
    """Train ``epochs`` epochs with a progress bar on stderr (the command line's)."""
    for epoch in range(1, epochs + 1):
        start = len(trainer.history.train_loss)
        evaluation = trainer.train_epoch()
        losses = trainer.history.train_loss[start:]
        _progress(epoch, epochs, float(np.mean(losses)), evaluation.accuracy)
    sys.stderr.write("\n")
