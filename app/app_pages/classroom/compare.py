"""Compare images: one kernel and its settings on several pictures at once."""

from __future__ import annotations

import streamlit as st

from app.app_pages import registry
from app.page_parts.compare.pictures import (
    PICTURE_SCRATCH,
    chosen_pictures,
    picture_controls,
    pictures_setting,
)
from app.page_parts.compare.views import Compared, coloured_maps, show_grid, slide_button
from app.shell.page_frame import open_page
from app.shell.settings.conv_settings import (
    conv_settings_spec,
    settings_from_state,
    settings_panel,
)
from app.shell.settings.kernel_choice import (
    KERNEL_SCRATCH,
    kernel_panel,
    kernel_settings,
    pretty_name,
    resolve_kernel,
)
from app.shell.url_state import PageState, flag, int_choice
from app.widgets.controls import keyed
from cnn_core.conv_run import ConvRun, looks_like_an_image
from cnn_core.limits import WORKING_SIZES

PAGE = registry.BY_NAME["compare"]
STATE = PageState(
    PAGE.prefix,
    [
        pictures_setting(),
        int_choice("res", WORKING_SIZES, 256),
        *kernel_settings(),
        *conv_settings_spec(),
        flag("shared", True),
    ],
    scratch=(*PICTURE_SCRATCH, *KERNEL_SCRATCH),
)


def page() -> None:
    open_page(STATE, PAGE.title, PAGE.summary)
    kernel = resolve_kernel(STATE, per_channel_allowed=False)
    with st.sidebar:
        st.subheader("Pictures")
        picture_controls(STATE)
        keyed.select_slider("Working size (longest side, px)", WORKING_SIZES, key=STATE.key("res"))
        st.subheader("Kernel")
        kernel_panel(STATE, kernel, per_channel_allowed=False)
    settings_panel(STATE)
    keyed.toggle(
        "Same colour scale for every map",
        key=STATE.key("shared"),
        help="On: the strongest answer among all pictures sets the scale, so a weak answer "
        "looks weak. Off: each map uses its own range.",
    )
    pictures, messages = chosen_pictures(STATE, STATE["res"])
    for message in messages:
        st.warning(message)
    if kernel.error or kernel.kernel is None:
        st.error(f"No feature maps: the kernel cannot be used. {kernel.error}")
    elif not pictures:
        st.info("Choose some samples or upload pictures in the sidebar.")
    else:
        _compare(pictures, kernel)
    STATE.publish()


def _compare(pictures, kernel) -> None:
    settings = settings_from_state(STATE)
    results, problems = [], []
    for picture in pictures:
        try:
            run = ConvRun.compute(
                picture.pixels,
                kernel.kernel,
                flip=kernel.flip,
                colour="gray",
                conv_options=settings.conv_options(),
                activation=settings.activation,
            )
        except ValueError as error:
            problems.append(f"{picture.label}: {error}")
            continue
        results.append(Compared(picture.label, run.planes[0], run.maps[0]))
    for problem in problems:
        st.warning(f"No map for {problem}")
    if not results:
        return
    as_image = looks_like_an_image(kernel.kernel, "gray", settings.activation)
    signed = not as_image and any(r.values.min() < 0 for r in results)
    maps = coloured_maps(results, signed=signed, shared=STATE["shared"], brightness=as_image)
    st.markdown(f"**{pretty_name(kernel.name)}**, {settings.describe()}")
    show_grid(results, maps)
    title = f"{pretty_name(kernel.name)} on {len(results)} pictures"
    slide_button(title, [settings.describe()], results, maps)


if __name__ == "__main__":
    page()
