"""Training: watch a CNN learn the digits live, its curves, kernels and feature maps."""

from __future__ import annotations

import copy

import streamlit as st

from app.app_pages import registry
from app.page_parts.training.run import (
    ARCHITECTURE_LABELS,
    ARCHITECTURES,
    RunRecipe,
    digits,
    reset_run,
    session_run,
)
from app.page_parts.training.views import curves, kernels_and_maps
from app.shell.page_frame import fixed_slot, open_page
from app.shell.session_models import keep_model
from app.shell.url_state import PageState, choice, flag, int_choice, integer, text
from app.widgets.controls import keyed
from app.widgets.controls.labelled import labelled_radio
from app.widgets.networks.model_buttons import model_buttons
from cnn_core.describe import number
from cnn_core.layers import LayerError, format_layers, parse_layers
from cnn_core.limits import MAX_SEED
from cnn_core.nn.live_run import ServerBusy
from cnn_core.nn.model_card import digit_card
from cnn_core.nn.stack_torch import StackClassifier
from cnn_core.nn.training_loop import OPTIMISER_LABELS, OPTIMISERS, TrainSettings
from cnn_core.stack import PRESETS

RATES = ("0.0003", "0.001", "0.003", "0.01", "0.03", "0.1")


def _stack_text(value: str) -> str:
    try:
        return format_layers(parse_layers(value))
    except LayerError as error:
        raise ValueError(str(error)) from None


PAGE = registry.BY_NAME["training"]
STATE = PageState(
    PAGE.prefix,
    [
        choice("arch", ARCHITECTURES, "digitnet"),
        text("stack", PRESETS["lenet"], _stack_text),
        choice("lr", RATES, "0.003"),
        int_choice("batch", (16, 32, 64, 128), 64),
        choice("opt", OPTIMISERS, "adam"),
        flag("aug", True),
        integer("seed", 0, MAX_SEED, 0),
        integer("watch", 0, 999, 3),
    ],
    scratch=("run", "kept"),
)


def page() -> None:
    open_page(STATE, PAGE.title, PAGE.summary)
    with st.sidebar:
        _settings()
    recipe = _recipe()
    if recipe is None:
        STATE.publish()
        return
    run, built_from = session_run(STATE.scratch("run"), recipe)
    changed = fixed_slot()  # drawn on every run: the live part below keeps its name
    if built_from != recipe:
        changed.info("The settings changed: press Reset to train with them.")
    _controls(run, recipe)
    _live(run, built_from)
    STATE.publish()


def _settings() -> None:
    st.subheader("Network")
    labelled_radio("Train", ARCHITECTURE_LABELS, key=STATE.key("arch"))
    if STATE["arch"] == "stack":
        keyed.text_input("Layers (as on the Layer stack page)", key=STATE.key("stack"))
    st.subheader("Training")
    keyed.select_slider("Learning rate", RATES, key=STATE.key("lr"))
    keyed.select_slider("Batch size", (16, 32, 64, 128), key=STATE.key("batch"))
    labelled_radio("Optimiser", OPTIMISER_LABELS, key=STATE.key("opt"))
    keyed.toggle("Augmentation (shift, rotate, thicken, blur...)", key=STATE.key("aug"))
    keyed.number_input("Seed", 0, MAX_SEED, key=STATE.key("seed"))
    keyed.number_input("Watched held-out digit", 0, 999, key=STATE.key("watch"))


def _recipe() -> RunRecipe | None:
    if STATE["arch"] == "stack":
        try:
            StackClassifier(parse_layers(STATE["stack"]), in_channels=1, side=28, classes=10)
        except (LayerError, ValueError, RuntimeError) as error:
            st.error(f"This stack cannot be trained on 28 x 28 digits. {error}")
            return None
    settings = TrainSettings(
        learning_rate=float(STATE["lr"]),
        batch_size=STATE["batch"],
        optimiser=STATE["opt"],
        augment=STATE["aug"],
        seed=STATE["seed"],
    )
    return RunRecipe(STATE["arch"], STATE["stack"], settings, STATE["watch"])


def _controls(run, recipe: RunRecipe) -> None:
    def start() -> None:
        try:
            run.start()
        except ServerBusy as error:
            st.session_state[STATE.scratch("kept")] = str(error)

    start_column, stop_column, step_column, reset_column = st.columns(4)
    start_column.button(
        "Resume" if run.trainer.steps_done else "Start",
        icon=":material/play_arrow:",
        on_click=start,
        width="stretch",
        disabled=run.running,
        type="primary",
    )
    stop_column.button(
        "Stop", icon=":material/stop:", on_click=run.stop, width="stretch", disabled=not run.running
    )
    step_column.button(
        "Step once",
        icon=":material/skip_next:",
        on_click=run.step_once,
        width="stretch",
        disabled=run.running,
    )
    reset_column.button(
        "Reset",
        icon=":material/restart_alt:",
        width="stretch",
        on_click=lambda: reset_run(STATE.scratch("run"), recipe),
    )
    busy_slot = fixed_slot()
    if busy := st.session_state.pop(STATE.scratch("kept"), None):
        busy_slot.warning(busy)


def _live(run, recipe: RunRecipe) -> None:
    every = 1.0 if run.running else None
    st.fragment(run_every=every)(_draw)(run, recipe, every is not None)


def _draw(run, recipe: RunRecipe, timed: bool) -> None:
    if run.running != timed:
        st.rerun()  # training started or stopped: rebuild with (or without) the timer
    run.heartbeat()
    snapshot = run.snapshot()
    held = snapshot.history["held_accuracy"]
    state = "training" if snapshot.running else (snapshot.finished or "stopped")
    st.markdown(
        f"**{state.capitalize()}**: step {snapshot.steps}, epoch {snapshot.epoch:.2f} of the "
        f"{snapshot.training_pictures:,} training digits, "
        f"{_rate(snapshot.steps_per_second)}held-out "
        f"accuracy {held[-1]:.1%}"
        if held
        else f"**{state}**"
    )
    curves(snapshot)
    kernels_and_maps(snapshot, digits()["held"][recipe.watched][0])
    if not snapshot.running and snapshot.steps and recipe.architecture == "digitnet":
        _keep_and_download(run)


def _rate(steps_per_second: float | None) -> str:
    """The training speed, when a step has been timed (never a made-up 0)."""
    return "" if steps_per_second is None else f"{number(steps_per_second)} steps per second; "


def _keep_and_download(run) -> None:
    evaluation = run.trainer.evaluate(record=False)
    card = digit_card(
        run.trainer.model,
        evaluation.accuracy,
        evaluation.confusion,
        0.0,
        name=f"Digits, trained live ({run.trainer.steps_done} steps)",
        train_digits=len(run.trainer.images),
        heldout_digits=len(run.trainer.held_images),
        training={**vars(run.trainer.settings), "steps": run.trainer.steps_done},
    )
    # A copy as it is now: a later run of the trainer never changes what was kept or what
    # a download button (the ONNX file is made on its click) gives.
    model = _frozen_copy(run.trainer.model)
    model_buttons(
        on_keep=lambda: keep_model(f"live digits, {run.trainer.steps_done} steps", model, card),
        model=model,
        card=card,
        file_stem="digits-live",
    )


def _frozen_copy(model):
    kept = copy.deepcopy(model).eval()
    for parameter in kept.parameters():
        parameter.requires_grad_(False)
    return kept


if __name__ == "__main__":
    page()
