"""The Training and Your classes pages through AppTest: start, stop, resume and step;
train on uploaded pictures; keep a model for the Network page; two sessions apart."""

import numpy as np

from ..shapes_folder import CLASSES, make_shapes_folder
from .conftest import assert_clean, page_path, run_app


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def status(at) -> str:
    return next(m.value for m in at.markdown if "step" in m.value and "epoch" in m.value)


def steps_of(at) -> int:
    return int(status(at).split("step ")[1].split(",")[0])


def live_run(at):
    """The session's training run (cnn_core.nn.live_run.LiveRun)."""
    return at.session_state["train_run"][0]


def test_training_starts_stops_resumes_and_steps():
    at = run_app("training")
    assert_clean(at)
    assert steps_of(at) == 0
    button(at, "Start").click().run()
    assert live_run(at).wait_for_steps(6, timeout=60)
    at.run()
    button(at, "Stop").click().run()
    stopped = steps_of(at)
    assert stopped > 5 and "Stopped" in status(at)
    button(at, "Step once").click().run()
    assert steps_of(at) == stopped + 1
    button(at, "Resume").click().run()
    assert live_run(at).wait_for_steps(stopped + 2, timeout=60)
    at.run()
    button(at, "Stop").click().run()
    assert steps_of(at) > stopped + 1
    assert_clean(at)
    assert any(b.label == "Keep for the Network page" for b in at.button)
    button(at, "Reset").click().run()
    assert steps_of(at) == 0


def test_a_stack_that_cannot_be_trained_is_explained():
    at = run_app("training", arch="stack", stack="act.relu,pool.max.2")
    assert not at.exception
    assert any("must start with a convolution" in e.value for e in at.error)


def test_two_sessions_train_at_once_without_sharing():
    first, second = run_app("training", seed=1), run_app("training", seed=2)
    button(first, "Start").click().run()
    button(second, "Start").click().run()
    for at in (first, second):
        assert live_run(at).wait_for_steps(3, timeout=60)
    for at in (first, second):
        at.run()
        button(at, "Stop").click().run()
        assert_clean(at)
    runs = [at.session_state["train_run"][0] for at in (first, second)]
    assert runs[0] is not runs[1] and runs[0].trainer.model is not runs[1].trainer.model
    assert runs[0].trainer.settings.seed == 1 and runs[1].trainer.settings.seed == 2


def _upload_class(at, name: str, folder, count: int) -> None:
    at.radio(key="own_adding").set_value(name).run()
    files = [
        (f"{name}{i}.png", (folder / name / f"{i:03d}.png").read_bytes(), "image/png")
        for i in range(count)
    ]
    at.file_uploader(key="own_uploads").set_value(files).run()


def test_your_classes_trains_on_uploads_and_hands_the_model_to_the_network_page(tmp_path):
    folder = make_shapes_folder(tmp_path / "shapes", per_class=10)
    at = run_app("own_classes", names=",".join(CLASSES))
    assert_clean(at)
    for name in CLASSES:
        _upload_class(at, name, folder, 10)
    counts = [m.value for m in at.markdown if m.value.endswith(" pictures")]
    assert counts == [f"**{name}**: 10 pictures" for name in CLASSES]
    button(at, "Train").click().run()
    assert_clean(at)
    report = next(m.value for m in at.markdown if "Held-out accuracy" in m.value)
    assert "of 6 pictures" in report  # 2 of each class's 10 held out
    at.file_uploader(key="own_try").set_value(
        ("new.png", (folder / "circle" / "009.png").read_bytes(), "image/png")
    ).run()
    answer = next(m.value for m in at.markdown if m.value.startswith("## "))
    assert answer[3:] in CLASSES
    button(at, "Keep for the Network page").click().run()
    at.switch_page(page_path("network"))
    at.run()
    assert_clean(at)
    options = at.selectbox(key="net_picked").options
    assert "session: circle vs square vs triangle" in options


def test_your_classes_explains_what_is_missing():
    at = run_app("own_classes", names="only one")
    assert any("could not be used" in w.value for w in at.warning)
    at = run_app("own_classes")
    assert not at.exception
    assert any("at least two pictures to every class" in i.value for i in at.info)


def test_your_classes_keeps_each_sessions_pictures_to_itself(tmp_path):
    folder = make_shapes_folder(tmp_path / "shapes", per_class=3)
    first = run_app("own_classes", names="circle,square")
    second = run_app("own_classes", names="circle,square")
    _upload_class(first, "circle", folder, 3)
    assert np.asarray(first.session_state["own_examples"]["circle"]).shape[0] == 3
    assert "circle" not in second.session_state["own_examples"]


def test_the_training_curves_are_also_said_in_words():
    """Each chart has a caption that reads its curves (first, last, lowest, highest), from
    the run's own history: what a screen reader says instead of the picture."""
    from cnn_core.describe import number

    at = run_app("training")
    for _ in range(3):
        button(at, "Step once").click().run()
    history = live_run(at).snapshot().history
    loss = history["train_loss"]  # fewer than 20 steps: the running mean is the loss
    captions = [c.value for c in at.caption if "training (mean of 20 batches)" in c.value]
    assert len(captions) == 2, captions  # loss and accuracy
    assert captions[0].startswith(
        f"loss (cross-entropy), training (mean of 20 batches), 3 points from step "
        f"{number(history['steps'][0])} to {number(history['steps'][-1])}: "
        f"first {number(loss[0])}, last {number(loss[-1])}; lowest {number(min(loss))}"
    ), captions[0]
    assert "accuracy, held-out digits" in captions[1]
