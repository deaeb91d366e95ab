"""Training in the background while a page watches: one thread per run, bounded.

``LiveRun`` wraps a ``Trainer`` (cnn_core.nn.training_loop) in a thread that trains until it is
stopped, reaches its step limit, or stops hearing from its page (``heartbeat``), so a
closed tab never leaves a thread behind. The page reads ``snapshot()`` (copies, taken
under a lock) to draw curves, kernels and feature maps while training goes on. At most
``MAX_TRAINING_SESSIONS`` runs train at once per server process.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from ..limits import MAX_TRAINING_SESSIONS, MAX_TRAINING_STEPS, TRAINING_HEARTBEAT_SECONDS
from .training_loop import Trainer

_SLOTS = threading.BoundedSemaphore(MAX_TRAINING_SESSIONS)
EVALUATE_EVERY = 25  # steps between held-out measurements
PICTURE_EVERY = 10  # steps between new kernel and feature-map snapshots


class ServerBusy(RuntimeError):
    """Every training slot of this server is taken; the message says how many."""


@dataclass(frozen=True)
class Snapshot:
    steps: int
    epoch: float
    training_pictures: int  # the pictures one epoch goes through
    running: bool
    finished: str | None  # why the run stopped by itself, if it did
    steps_per_second: float | None  # None until a step has been timed
    history: dict  # lists copied from the trainer's History
    kernels: np.ndarray  # the first layer's weights now, (F, C, k, k)
    maps: np.ndarray  # the watched picture's first-layer maps now, (F, H, W)


class LiveRun:
    """A Trainer that trains in a background thread until told to stop."""

    def __init__(
        self,
        trainer: Trainer,
        first_layer: Callable[[], torch.nn.Module],
        watched: np.ndarray,
        *,
        max_steps: int = MAX_TRAINING_STEPS,
        heartbeat_seconds: float = TRAINING_HEARTBEAT_SECONDS,
    ):
        self.trainer = trainer
        self._first_layer = first_layer
        self._watched = torch.from_numpy(np.array(watched, np.float32))[None]  # (1, C, H, W)
        self.max_steps = max_steps
        self.heartbeat_seconds = heartbeat_seconds
        self._lock = threading.Lock()
        self._stepped = threading.Condition(self._lock)  # notified after every step
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._thread_done = True  # no thread is training
        self._last_seen = time.monotonic()
        self._finished: str | None = None
        self._rate: float | None = None  # no step timed yet: no rate to tell
        self._pictures = self._take_pictures()

    # --- controls, called from the page ---

    def start(self) -> None:
        """Train in the background (a no-op while already training)."""
        if self.running:
            return
        if self.trainer.steps_done >= self.max_steps:
            self._finished = f"reached its limit of {self.max_steps} steps"
            return
        if not _SLOTS.acquire(blocking=False):
            raise ServerBusy(
                f"{MAX_TRAINING_SESSIONS} sessions are already training on this server; "
                "try again when one has stopped."
            )
        self._stop.clear()
        self._finished = None
        self._thread_done = False
        self.heartbeat()
        self._thread = threading.Thread(target=self._loop, name="convscope-training", daemon=True)
        self._thread.start()

    def stop(self, *, wait: bool = True) -> None:
        self._stop.set()
        thread = self._thread
        if wait and thread is not None and thread is not threading.current_thread():
            thread.join(timeout=10)

    def step_once(self) -> None:
        """One training step now, in the caller's thread (when not running)."""
        if self.running:
            return
        with self._lock:
            started = time.perf_counter()
            self.trainer.step()
            # the rate of this one training step (not the evaluation and pictures after it)
            self._rate = 1.0 / max(time.perf_counter() - started, 1e-9)
            first = not self.trainer.history.held_steps
            if first or self.trainer.steps_done % EVALUATE_EVERY == 0:
                self.trainer.evaluate()
            self._pictures = self._take_pictures()

    def heartbeat(self) -> None:
        """The page is still looking: keep training."""
        self._last_seen = time.monotonic()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait_for_steps(self, steps: int, timeout: float) -> bool:
        """Wait until the run has done ``steps`` steps (True), or has stopped or
        ``timeout`` seconds passed first (False)."""
        with self._stepped:
            self._stepped.wait_for(
                lambda: self.trainer.steps_done >= steps or self._thread_done, timeout
            )
            return self.trainer.steps_done >= steps

    def wait_until_stopped(self, timeout: float) -> bool:
        """Wait until no thread trains (True), or ``timeout`` seconds passed (False)."""
        with self._stepped:
            return self._stepped.wait_for(lambda: self._thread_done, timeout)

    # --- what the page reads ---

    def snapshot(self) -> Snapshot:
        with self._lock:
            history = self.trainer.history
            copied = {name: list(values) for name, values in vars(history).items()}
            kernels, maps = self._pictures
            return Snapshot(
                steps=self.trainer.steps_done,
                epoch=self.trainer.epoch,
                training_pictures=len(self.trainer.images),
                running=self.running,
                finished=self._finished,
                steps_per_second=self._rate,
                history=copied,
                kernels=kernels,
                maps=maps,
            )

    # --- the thread ---

    def _loop(self) -> None:
        torch.set_num_threads(1)
        started, steps_at_start = time.perf_counter(), self.trainer.steps_done
        try:
            while not self._stop.is_set():
                if time.monotonic() - self._last_seen > self.heartbeat_seconds:
                    self._finished = "stopped: its page was closed"
                    break
                if self.trainer.steps_done >= self.max_steps:
                    self._finished = f"reached its limit of {self.max_steps} steps"
                    break
                with self._lock:
                    self.trainer.step()
                    steps = self.trainer.steps_done
                    if steps % EVALUATE_EVERY == 0:
                        self.trainer.evaluate()
                    if steps % PICTURE_EVERY == 0:
                        self._pictures = self._take_pictures()
                    self._stepped.notify_all()
                elapsed = time.perf_counter() - started
                self._rate = (self.trainer.steps_done - steps_at_start) / max(elapsed, 1e-9)
                time.sleep(0)  # let the web server's threads run between steps
        finally:
            with self._lock:
                self._pictures = self._take_pictures()
                self._thread_done = True
                self._stepped.notify_all()
            _SLOTS.release()

    def _take_pictures(self) -> tuple[np.ndarray, np.ndarray]:
        layer = self._first_layer()
        with torch.no_grad():
            kernels = layer.weight.detach().clone().numpy()
            maps = layer(self._watched)[0].numpy()
        return kernels, maps
