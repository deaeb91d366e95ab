"""Convolution: one kernel on your image, every setting, and the arithmetic of any pixel.

The feature map is computed from the page state and drawn first (into its place below the
controls, which keep their height while they are still on their way); the run then
pauses, so the browser paints it before the rest of the page arrives. A new session's
sidebar waits for the map too (``app/shell/paint_first.py``).
"""

from __future__ import annotations

import streamlit as st

from app.app_pages import registry
from app.page_parts.convolution.details import DETAILS_SCRATCH, details_setting, show_details
from app.page_parts.convolution.inspector import INSPECTOR_SCRATCH, inspector_settings, picked_pixel
from app.page_parts.convolution.outputs import (
    input_picture,
    shared_run,
    show_gradient_magnitude,
    show_kernel,
    show_kirsch,
    show_maps,
)
from app.page_parts.convolution.sliding_window import SLIDING_SCRATCH, sliding_settings
from app.shell.navigation import open_page
from app.shell.page_style import min_height_css
from app.shell.paint_first import kept_place, pause_for_paint
from app.shell.settings.conv_settings import (
    PANEL_HEIGHT_REM,
    conv_settings_spec,
    output_sizes,
    settings_from_state,
    settings_panel,
    show_formula,
)
from app.shell.settings.image_choice import IMAGE_SCRATCH, image_settings, open_image_page
from app.shell.settings.kernel_choice import (
    KERNEL_SCRATCH,
    kernel_panel,
    kernel_settings,
    resolve_kernel,
)
from app.shell.url_state import PageState, choice
from app.widgets.controls.labelled import labelled_radio
from app.widgets.controls.reset_button import reset_button
from app.widgets.pictures.map_view import (
    SIDE_PICTURE_MAX,
    encode_picture,
    show_encoded_picture,
)
from app.widgets.shared_results import shared, shared_key
from app.widgets.sources.image_source import CONTRASTING_SAMPLES
from cnn_core.colour import COLOUR_MODES, to_gray
from cnn_core.conv_run import ConvRun, looks_like_an_image
from cnn_core.describe import describe_image
from cnn_core.kernels import GRADIENT_PAIRS
from cnn_core.render import current_palette
from cnn_core.window import window_corners

COLOUR_LABELS = {
    "gray": "Grayscale",
    "channels": "Each channel (R, G, B) alone",
    "summed": "One filter summed over R, G, B",
}
SHOW_AS = ("auto", "colours", "brightness")
CONTROLS_KEY = "conv-controls"
SHOW_LABELS = {"auto": "Automatic", "colours": "Signed colours", "brightness": "Brightness"}

PAGE = registry.BY_NAME["convolution"]
STATE = PageState(
    PAGE.prefix,
    [
        *image_settings("coffee"),
        choice("colour", COLOUR_MODES, "gray"),
        choice("show", SHOW_AS, "auto"),
        *kernel_settings(),
        *conv_settings_spec(),
        details_setting(),
        *inspector_settings(),
        *sliding_settings(),
    ],
    scratch=(
        *IMAGE_SCRATCH,
        *KERNEL_SCRATCH,
        *INSPECTOR_SCRATCH,
        *SLIDING_SCRATCH,
        *DETAILS_SCRATCH,
        "map",
    ),
)


def page() -> None:
    # A new session's map is drawn before the controls above it: keep their place.
    image = open_image_page(
        STATE, PAGE.title, PAGE.summary, page_css=min_height_css(CONTROLS_KEY, PANEL_HEIGHT_REM)
    )
    colour = STATE["colour"]
    kernel = resolve_kernel(STATE, per_channel_allowed=colour == "summed")
    with st.sidebar:
        labelled_radio("Colour", COLOUR_LABELS, key=STATE.key("colour"))
        labelled_radio(
            "Show feature maps as",
            SHOW_LABELS,
            key=STATE.key("show"),
            horizontal=True,
            help="Signed colours: {} below zero, {} at zero, {} above. Brightness: black 0 to "
            "white 1, natural for blurs and sharpening (Automatic picks it when the kernel's "
            "weights add up to 1).".format(*current_palette().signed_words),
        )
        st.subheader("Kernel")
        kernel_panel(STATE, kernel, per_channel_allowed=colour == "summed")
        if st.button("This kernel on several pictures", icon=":material/compare:"):
            _open_comparison()
        reset_button(STATE.reset)
    _workspace(image, kernel, colour)


def _open_comparison() -> None:
    """The Compare page with this page's kernel and settings, this sample first."""
    shared = {s.name for s in (*kernel_settings(), *conv_settings_spec())} | {"res"}
    params = {k: v for k, v in st.query_params.to_dict().items() if k in shared}
    pictures = [STATE["sample"], *(p for p in CONTRASTING_SAMPLES if p != STATE["sample"])]
    open_page("compare", {**params, "pics": ",".join(pictures[:4])})


@st.fragment
def _workspace(image, kernel, colour: str) -> None:
    """Settings, feature maps and the closer looks: a settings change reruns only this.

    The feature map is computed from the page state and drawn before the controls above
    it, then the run pauses so the browser paints it before the rest of the workspace
    arrives (``app/shell/paint_first.py``).
    """
    settings = settings_from_state(STATE)
    controls, outputs = kept_place(CONTROLS_KEY), st.container()
    run = run_key = None
    problem = f"No feature map: the kernel cannot be used. {kernel.error}" if kernel.error else None
    if kernel.kernel is not None:
        try:
            run, run_key = shared_run(image, kernel, colour, settings)
        except ValueError as error:
            problem = f"These settings give no feature map. {error}"
    as_image = run is not None and (
        STATE["show"] == "brightness"
        or (STATE["show"] == "auto" and looks_like_an_image(run.kernel, colour, run.activation))
    )
    with outputs:
        columns = _output_columns(run, kernel.name, as_image)
        if run is not None:
            with columns[2]:
                _feature_maps(run, as_image, run_key)
            pause_for_paint()
    with controls:
        settings_panel(STATE)
    shape = image.pixels.shape[:2]
    unreached = (0, 0)
    if kernel.kernel is not None:
        sizes = output_sizes(settings, shape, kernel.kernel.shape[-2:])
        show_formula(settings, sizes)
        unreached = (sizes[0].unreached, sizes[1].unreached)
    with columns[0]:
        _input_column(image, colour, run, unreached)
    if kernel.kernel is not None:
        with columns[1]:
            show_kernel(kernel.kernel, kernel.flip)
    if problem:
        with columns[2]:
            st.error(problem)
    if run is not None:
        if len(columns) > 3:
            with columns[3]:
                show_gradient_magnitude(run, kernel.name, shared_as=run_key)
        show_details(STATE, run, image, kernel, settings, shape)
        if kernel.name.startswith("kirsch_"):
            show_kirsch(run)
    STATE.publish()


def _output_columns(run: ConvRun | None, kernel_name: str, as_image: bool):
    """Input, kernel, feature map(s) and, for derivative kernels, the gradient magnitude."""
    if run is not None and len(run.names) > 1 and not as_image:
        return st.columns([1, 0.4, 3])
    if run is not None and kernel_name in GRADIENT_PAIRS:
        return st.columns([1, 0.42, 1, 1])
    return st.columns([1, 0.4, 1])


def _feature_maps(run: ConvRun, as_image: bool, run_key) -> None:
    row, col, index = picked_pixel(STATE, run.maps.shape[1:], len(run.names))

    def pick(r: int, c: int, i: int) -> None:
        STATE.set("row", r)
        STATE.set("col", c)
        STATE.set("ch", i)
        STATE.set("view", "inspector")

    rows, cols = run.maps.shape[1:]
    note = f"Feature map, {rows} x {cols}: click a pixel to inspect it."
    show_maps(
        run,
        marker=(row, col, index),
        on_pick=pick,
        key=STATE.scratch("map"),
        note=note,
        as_image=as_image,
        shared_as=run_key,
    )


def _input_column(image, colour: str, run: ConvRun | None, unreached) -> None:
    """The input as the kernel sees it, with the inspected window boxed."""
    box = None
    if run is not None:
        options = run.conv_options
        box = window_corners(
            run.planes.shape[1:],
            run.kernel.shape[-2:],
            STATE["row"],
            STATE["col"],
            stride=options["stride"],
            padding=options["padding"],
            dilation=options["dilation"],
        )
    height, width = image.pixels.shape[:2]

    def make():
        if colour != "gray":
            seen = image.pixels
        else:
            seen = run.planes[0] if run is not None else to_gray(image.pixels)
        return encode_picture(
            input_picture(seen, unreached, box),
            max_side=SIDE_PICTURE_MAX,
            alt=describe_image(seen, f"Input, {image.label}"),
        )

    # The same for every session showing this sample (or the teacher's shared picture).
    key = shared_key(image.shared_as, "input", colour, unreached, box, image.label)
    show_encoded_picture(shared(key, make), caption=f"Input: {image.label}, {height} x {width}")


if __name__ == "__main__":
    page()
