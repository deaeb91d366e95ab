"""Your classes: teach a small CNN your own classes from the camera or uploads, in seconds,
then watch it classify a new picture layer by layer."""

from __future__ import annotations

import streamlit as st

from app.app_pages import registry
from app.page_parts.own_classes.camera_burst import camera_burst
from app.page_parts.own_classes.examples import (
    add_pictures,
    as_arrays,
    class_names,
    examples,
    seen_before,
)
from app.page_parts.own_classes.views import classify_view, examples_view, report
from app.shell.page_frame import page_header
from app.shell.session_models import keep_model
from app.shell.url_state import PageState, choice, int_choice, text
from app.widgets.controls import keyed
from app.widgets.networks.model_buttons import model_buttons
from app.widgets.sources.image_source import UPLOAD_TYPES
from cnn_core import ImageError, load_image
from cnn_core.limits import MAX_CLASS_EXAMPLES, MAX_CLASSES, MAX_UPLOAD_MB, MIN_CLASSES
from cnn_core.nn.picture_training import PictureConfig, train_on_pictures
from cnn_core.nn.training_loop import split_per_class
from cnn_core.pictures import COLOURS, prepare_batch


def _names_text(value: str) -> str:
    names = class_names(value)
    if not MIN_CLASSES <= len(names) <= MAX_CLASSES:
        raise ValueError(f"needs {MIN_CLASSES} to {MAX_CLASSES} class names, separated by commas")
    return ", ".join(names)


PAGE = registry.BY_NAME["own_classes"]
STATE = PageState(
    PAGE.prefix,
    [
        text("names", "rock, paper, scissors", _names_text),
        int_choice("side", (24, 32, 48), 32),
        choice("colour", COLOURS, "rgb"),
    ],
    scratch=(
        "examples",
        "seen",
        "adding",
        "snapshot",
        "burst",
        "uploads",
        "trained",
        "try",
        "try_camera",
        "clear",
    ),
)


def page() -> None:
    STATE.restore()
    page_header(
        STATE,
        PAGE.title,
        "Show the camera a few examples of each class, train a small CNN on them in "
        "seconds, and see what it makes of a new picture.",
    )
    with st.sidebar:
        keyed.text_input(
            f"Classes ({MIN_CLASSES} to {MAX_CLASSES}, separated by commas)", key=STATE.key("names")
        )
        keyed.select_slider("Picture size for the network", (24, 32, 48), key=STATE.key("side"))
        keyed.radio("Colour", COLOURS, key=STATE.key("colour"), horizontal=True)
        st.caption("Pictures stay in this session's memory and are never saved on the server.")
    names = class_names(STATE["names"])
    if not MIN_CLASSES <= len(names) <= MAX_CLASSES:
        st.error(
            f"Name {MIN_CLASSES} to {MAX_CLASSES} classes, separated by commas "
            f"(there are {len(names)})."
        )
        STATE.publish()
        return
    store = examples(STATE.scratch("examples"))
    _collect(names)
    examples_view(
        store, names, clear=lambda name: store.pop(name, None), key=STATE.scratch("clear")
    )
    _train(store, names)
    STATE.publish()


def _collect(names: list[str]) -> None:
    st.header("1. Add examples", anchor=False)
    target = keyed.radio("Add pictures to", names, key=STATE.scratch("adding"), horizontal=True)
    camera, burst, upload = st.columns(3)
    with camera:
        snapshot = st.camera_input("One picture per click", key=STATE.scratch("snapshot"))
        if snapshot is not None and not seen_before(STATE.scratch("seen"), snapshot.getvalue()):
            _add(target, [snapshot.getvalue()])
    with burst:
        st.markdown("**A burst: 10 pictures in 2.5 s**")
        camera_burst(
            key=STATE.scratch("burst"),
            on_frames=lambda pictures: add_pictures(STATE.scratch("examples"), target, pictures),
        )
    with upload:
        files = st.file_uploader(
            "Or upload pictures",
            type=UPLOAD_TYPES,
            accept_multiple_files=True,
            key=STATE.scratch("uploads"),
            max_upload_size=MAX_UPLOAD_MB,
        )
        fresh = [
            f.getvalue()
            for f in files or []
            if not seen_before(STATE.scratch("seen"), f.getvalue())
        ]
        if fresh:
            _add(target, fresh)
    st.caption(f"Each class keeps its newest {MAX_CLASS_EXAMPLES} pictures.")


def _add(target: str, raw_pictures: list[bytes]) -> None:
    pictures, problems = [], []
    for raw in raw_pictures:
        try:
            pictures.append(load_image(raw, max_side=256))
        except ImageError as error:
            problems.append(str(error))
    add_pictures(STATE.scratch("examples"), target, pictures)
    for problem in problems[:3]:
        st.error(problem)


def _train(store: dict, names: list[str]) -> None:
    st.header("2. Train", anchor=False)
    counts = [len(store.get(n, [])) for n in names]
    ready = min(counts) >= 2
    if not ready:
        st.info("Add at least two pictures to every class (one to train on, one to test).")
    if st.button("Train", icon=":material/model_training:", type="primary", disabled=not ready):
        pictures, labels = as_arrays(store, names)
        prepared = prepare_batch(pictures, STATE["side"], STATE["colour"])
        train_index, held_index = split_per_class(labels, 0.2, 0)
        config = PictureConfig(side=STATE["side"], colour=STATE["colour"])
        with st.spinner(f"Training on {len(train_index)} pictures..."):
            model, card = train_on_pictures(
                prepared[train_index],
                labels[train_index],
                prepared[held_index],
                labels[held_index],
                names,
                config,
            )
        model.eval()
        for parameter in model.parameters():
            parameter.requires_grad_(False)
        st.session_state[STATE.scratch("trained")] = (model, card)
    trained = st.session_state.get(STATE.scratch("trained"))
    if trained is None:
        return
    model, card = trained
    if card["class_names"] != names:
        st.info("The classes changed since this model was trained: train again to use them.")
    report(card)
    _try(model, card)
    _keep(model, card)


def _try(model, card: dict) -> None:
    st.header("3. Try it", anchor=False)
    camera, upload = st.columns(2)
    shot = camera.camera_input(
        "Classify a picture from the camera", key=STATE.scratch("try_camera")
    )
    file = upload.file_uploader(
        "Or upload one", type=UPLOAD_TYPES, key=STATE.scratch("try"), max_upload_size=MAX_UPLOAD_MB
    )
    chosen = file if file is not None else shot
    if chosen is None:
        st.caption("Take or upload a picture the network has not seen.")
        return
    try:
        picture = load_image(chosen.getvalue(), max_side=256)
    except ImageError as error:
        st.error(str(error))
        return
    classify_view(model, card, picture)


def _keep(model, card: dict) -> None:
    label = " vs ".join(card["class_names"])
    model_buttons(
        on_keep=lambda: keep_model(label, model, card),
        model=model,
        card=card,
        file_stem="my-classes",
    )


if __name__ == "__main__":
    page()
