"""Training in the background: it learns, stops when told, when its page is gone or at
its limit, keeps two runs apart, and refuses a run past the server's limit."""

import numpy as np
import pytest
import torch

from cnn_core.nn import live_run
from cnn_core.nn.augment import augment_digits
from cnn_core.nn.digit_net import DigitNet
from cnn_core.nn.live_run import LiveRun, ServerBusy
from cnn_core.nn.training_loop import Trainer, TrainSettings, split_per_class


def _stripes(n: int, seed: int):
    """Two easy classes of 28 x 28 pictures: horizontal (0) or vertical (1) stripes."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    pictures = np.zeros((n, 1, 28, 28), np.float32)
    for i, label in enumerate(labels):
        offset = int(rng.integers(0, 4))
        if label == 0:
            pictures[i, 0, offset::4, :] = 1
        else:
            pictures[i, 0, :, offset::4] = 1
    return pictures, labels


def _run(seed: int = 0, **options) -> LiveRun:
    torch.manual_seed(seed)
    images, labels = _stripes(200, seed)
    held, held_labels = _stripes(40, seed + 100)
    model = DigitNet()
    trainer = Trainer(
        model,
        images,
        labels,
        held,
        held_labels,
        TrainSettings(batch_size=16, seed=seed, augment=False),
    )
    return LiveRun(trainer, lambda: model.conv1, held[0], **options)


def test_a_run_trains_in_the_background_and_stops_when_told():
    run = _run()
    before = run.snapshot()
    run.start()
    assert run.wait_for_steps(60, timeout=60)
    run.stop()
    after = run.snapshot()
    assert not after.running and after.steps >= 60
    assert after.history["held_accuracy"][-1] > 0.9  # stripes are easy
    assert not np.allclose(before.kernels, after.kernels), "the kernels changed"
    assert not run.wait_for_steps(after.steps + 1, timeout=0.5), "nothing trains after Stop"


def test_step_once_and_resume_continue_the_same_run():
    run = _run()
    run.step_once()
    run.step_once()
    assert run.snapshot().steps == 2
    run.start()
    assert run.wait_for_steps(10, timeout=60)
    run.stop()
    assert run.snapshot().steps >= 10


def test_a_run_stops_itself_when_its_page_is_gone_and_at_its_limit():
    quiet = _run(heartbeat_seconds=0.3)
    quiet.start()
    assert quiet.wait_until_stopped(timeout=30)
    assert quiet.snapshot().finished == "stopped: its page was closed"
    limited = _run(max_steps=15)
    limited.start()
    assert limited.wait_until_stopped(timeout=60)
    snapshot = limited.snapshot()
    assert snapshot.steps == 15 and "limit of 15 steps" in snapshot.finished


def test_two_runs_at_once_keep_their_own_data_and_models():
    first, second = _run(seed=1), _run(seed=2)
    assert first.trainer.model is not second.trainer.model
    first.start()
    second.start()
    assert first.wait_for_steps(30, timeout=60) and second.wait_for_steps(30, timeout=60)
    first.stop()
    second.stop()
    weights = [r.trainer.model.conv1.weight.detach().numpy() for r in (first, second)]
    assert not np.allclose(*weights)
    assert not np.array_equal(first.trainer.images.numpy(), second.trainer.images.numpy())


def test_a_run_past_the_servers_limit_is_refused(monkeypatch):
    import threading

    monkeypatch.setattr(live_run, "_SLOTS", threading.BoundedSemaphore(1))
    first, second = _run(seed=1), _run(seed=2)
    first.start()
    with pytest.raises(ServerBusy, match="already training"):
        second.start()
    first.stop()
    second.start()  # a slot is free again
    second.stop()


def test_split_per_class_holds_out_from_every_class():
    labels = np.repeat([0, 1, 2], [10, 3, 1])
    train, held = split_per_class(labels, 0.2, seed=0)
    assert sorted(np.bincount(labels[held], minlength=3).tolist()) == [0, 1, 2]
    assert set(train) | set(held) == set(range(len(labels))) and not set(train) & set(held)


def test_the_digit_augmentation_used_live_keeps_shapes():
    batch = torch.from_numpy(_stripes(4, 0)[0])
    out = augment_digits(batch, torch.Generator().manual_seed(0))
    assert out.shape == batch.shape


def test_the_rate_is_unknown_until_a_step_is_timed_then_positive():
    run = _run()
    assert run.snapshot().steps_per_second is None  # nothing timed: no rate, not 0
    run.step_once()
    assert run.snapshot().steps_per_second > 0  # one step took a finite time
