"""The Convolution page through Streamlit's AppTest: settings, bad input, the inspector."""

import re

import pytest

from app.widgets.numbers.kernel_grid_editor import cells_to_text
from app.widgets.sources.image_source import SAMPLES_DIR, sample_manifest
from cnn_core import KERNELS, conv2d, load_image
from cnn_core.colour import to_gray

from ..printed_arithmetic import check_printed
from .conftest import assert_clean, clickable_pictures, described_pictures, page_title, run_app

SAMPLE_KEYS = [entry["key"] for entry in sample_manifest()]


def markdown_texts(at) -> list[str]:
    return [m.value for m in at.markdown]


def html_texts(at) -> list[str]:
    return [h.value for h in at.get("html")]


def formula_texts(at) -> list[str]:
    """The output-size formula blocks (HTML), with their numbers."""
    return [h.value for h in at.get("html") if "cs-formula" in h.value]


def formula_lines(at) -> list[str]:
    """The output-size formula's lines that carry numbers (HTML)."""
    block = formula_texts(at)[0]
    return [line for line in re.findall(r"<div>(.*?)</div>", block) if "<b>" in line]


def test_page_opens_on_defaults_with_a_feature_map():
    at = run_app()
    assert_clean(at)
    assert page_title(at) == "Convolution"
    # Default sample 512 x 341, "same" padding at stride 1 keeps the size.
    rows, cols = (check_printed(line) for line in formula_lines(at))
    assert (rows, cols) == (341, 512)
    # The clickable feature map is there: Sobel x of the coffee photo, 341 x 512, in the
    # diverging colours (mostly near-white, with blue and red edges).
    feature_map = clickable_pictures(at)["conv_map_0"]
    assert feature_map.shape[:2] == (341, 512)
    reds = (feature_map[..., 0] > 180) & (feature_map[..., 2] < 120)
    blues = (feature_map[..., 2] > 150) & (feature_map[..., 0] < 120)
    assert reds.mean() > 2e-4 and blues.mean() > 2e-4


@pytest.mark.parametrize("sample", SAMPLE_KEYS)
def test_page_works_with_each_sample(sample):
    at = run_app(sample=sample)
    assert_clean(at)
    assert at.selectbox(key="conv_sample").value == sample
    assert described_pictures(at), "the input picture is shown"


@pytest.mark.parametrize(
    "key, kind, value",
    [
        ("conv_stride", "slider", 3),
        ("conv_dil", "slider", 2),
        ("conv_padk", "radio", "valid"),
        ("conv_mode", "selectbox", "reflect"),
        ("conv_mode", "selectbox", "circular"),
        ("conv_act", "selectbox", "relu"),
        ("conv_act", "selectbox", "sigmoid"),
        ("conv_colour", "radio", "channels"),
        ("conv_colour", "radio", "summed"),
        ("conv_kernel", "selectbox", "gaussian_blur"),
        ("conv_kernel", "selectbox", "kirsch_ne"),
        ("conv_kernel", "selectbox", "random"),
        ("conv_kernel", "selectbox", "custom"),
        ("conv_flip", "toggle", True),
        ("conv_norm", "checkbox", True),
        ("conv_res", "select_slider", 128),
    ],
)
def test_page_each_setting_changes_without_errors(key, kind, value):
    at = run_app()
    getattr(at, kind)(key=key).set_value(value).run()
    assert_clean(at)
    assert getattr(at, kind)(key=key).value == value
    assert at.query_params  # the change is in the URL


def test_page_padding_amount_and_stride_fill_in_the_formula():
    at = run_app(sample="step_edge", res=128, padk="amount", pad=2, stride=3)
    assert_clean(at)
    # 128 x 128 input, 3x3 kernel: floor((128 + 2 + 2 - 1*(3-1) - 1) / 3) + 1 = 43 + 1 = 44.
    formula = "<span>128 + 2 + 2 \u2212 1·(3 \u2212 1) \u2212 1</span><span>3</span>"
    assert any(formula in t and "= <b>44</b>" in t for t in formula_texts(at)), formula_texts(at)
    assert [check_printed(line) for line in formula_lines(at)] == [44, 44]


def test_page_explains_settings_that_leave_no_output():
    # 15 taps 8 apart span 8 * 14 + 1 = 113 pixels; the 128 x 85 cat leaves no output rows.
    at = run_app(sample="cat", res=128, padk="valid", kernel="random", rsize=15, dil=8)
    errors = [e.value for e in at.error]
    assert any("no feature map" in e and "spans 113 input pixels" in e for e in errors), errors
    assert not at.exception
    assert described_pictures(at), "the input is still shown"


def test_page_custom_kernel_with_a_bad_cell_names_it():
    at = run_app(kernel="custom")
    at.text_input(key="conv_custom").set_value("1 0 -1; 2 zwei -2; 1 0 -1").run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("Row 2, column 2: 'zwei' is not a number" in e for e in errors), errors
    at.text_input(key="conv_custom").set_value("0 1 0; 1 -4 1; 0 1 0").run()
    assert_clean(at)


def test_page_bad_upload_gives_a_message_and_keeps_working():
    at = run_app()
    at.radio(key="conv_source").set_value("Upload").run()
    at.file_uploader(key="conv_upload").set_value(("photo.png", b"%PDF-1.4 not a png", "image/png"))
    at.run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("PDF document" in e and "Showing the sample instead" in e for e in errors), errors
    assert any("= <b>341</b>" in t for t in formula_texts(at)), (
        "the sample's feature map is still there"
    )


def test_page_good_upload_is_used(tmp_path):
    from PIL import Image

    buffer = tmp_path / "small.png"
    Image.new("RGB", (40, 30), (200, 10, 10)).save(buffer)
    at = run_app()
    at.radio(key="conv_source").set_value("Upload").run()
    at.file_uploader(key="conv_upload").set_value(("small.png", buffer.read_bytes(), "image/png"))
    at.run()
    assert_clean(at)
    assert any("= <b>30</b>" in t for t in formula_texts(at)) and any(
        "= <b>40</b>" in t for t in formula_texts(at)
    )


@pytest.mark.parametrize(
    "params, bad",
    [
        (dict(stride="abc"), "stride"),
        (dict(stride="99"), "stride"),
        (dict(kernel="rm -rf"), "kernel"),
        (dict(custom="1 2; 3"), "custom"),
        (dict(sample="../../etc/passwd"), "sample"),
        (dict(res="-5"), "res"),
        (dict(flip="maybe"), "flip"),
        (dict(pad="1" * 700), "pad"),
        (dict(row="1e9"), "row"),
        (dict(hacker="<script>alert(1)</script>"), "hacker"),
    ],
)
def test_page_bad_url_parameters_fall_back_to_defaults_with_a_notice(params, bad):
    at = run_app(**params)
    assert_clean(at)
    warnings = [w.value for w in at.warning]
    assert any("could not be used" in w and f"`{bad}" in w for w in warnings), warnings
    assert at.slider(key="conv_stride").value == 1
    assert at.selectbox(key="conv_kernel").value == "sobel_x"


def test_page_a_shared_link_restores_every_setting():
    params = dict(
        sample="shapes",
        res=256,
        colour="summed",
        kernel="custom",
        custom="1 2; 3 4",
        stride=2,
        padk="amount",
        pad=3,
        mode="replicate",
        dil=2,
        act="tanh",
        flip=1,
    )
    at = run_app(**params)
    assert_clean(at)
    assert at.selectbox(key="conv_sample").value == "shapes"
    assert at.radio(key="conv_colour").value == "summed"
    assert at.text_input(key="conv_custom").value == "1 2; 3 4"
    assert at.slider(key="conv_stride").value == 2
    assert at.slider(key="conv_pad").value == 3
    assert at.selectbox(key="conv_mode").value == "replicate"
    assert at.toggle(key="conv_flip").value is True
    # The page writes the same settings back into the URL.
    for name, value in params.items():
        assert at.query_params[name] in (str(value), [str(value)]), name


def _value_after(label: str, text: str) -> float:
    match = re.search(label + r" <b>(-?[0-9.]+)</b>", text)
    assert match, text
    return float(match.group(1))


def test_pixel_inspector_sum_equals_conv2d_with_stride_padding_and_dilation():
    at = run_app(
        view="inspector",
        sample="cat",
        res=128,
        stride=2,
        padk="amount",
        pad=1,
        dil=2,
        row=7,
        col=11,
    )
    assert_clean(at)
    entry = next(e for e in sample_manifest() if e["key"] == "cat")
    gray = to_gray(load_image(SAMPLES_DIR / entry["file"], max_side=128))
    expected = conv2d(gray, KERNELS["sobel_x"], stride=2, padding=1, dilation=2)[7, 11]
    lines = [t for t in html_texts(at) if "The feature map holds" in t]
    assert lines, html_texts(at)
    shown = _value_after("The feature map holds", lines[0])
    summed = float(re.search(r"sum of products: (-?[0-9.]+)", lines[0]).group(1))
    assert shown == pytest.approx(float(expected), abs=1e-4)
    assert summed == pytest.approx(float(expected), abs=1e-4)
    # The nine products written out make the printed sum (each printed to 3 decimals).
    products = re.search(r'<p class="cs-sum">(.*?)</p>', lines[0]).group(1)
    assert products.count("×") == 9
    assert check_printed(products, rounding=5e-4) == pytest.approx(float(expected), abs=1e-4)
    assert at.number_input(key="conv_row").value == 7


def test_pixel_inspector_moves_with_the_row_and_column_inputs():
    at = run_app(view="inspector", sample="step_edge", res=128)
    at.number_input(key="conv_row").set_value(10).run()
    at.number_input(key="conv_col").set_value(63).run()
    assert_clean(at)
    # The step edge has its jump between columns 63 and 64: Sobel x sees 1 + 2 + 1 rows of it.
    step = (215 - 40) / 255
    line = next(t for t in html_texts(at) if "The feature map holds" in t)
    assert _value_after("The feature map holds", line) == pytest.approx(4 * step, abs=2e-3)


def test_kirsch_kernel_shows_all_eight_compass_maps():
    at = run_app(kernel="kirsch_n", res=128)
    assert_clean(at)
    captions = [c.value for c in at.caption]
    for direction in ("n", "ne", "e", "se", "s", "sw", "w", "nw"):
        assert f"kirsch_{direction}" in captions
    assert any("largest of the eight" in c for c in captions)


def test_gradient_kernels_show_the_magnitude():
    at = run_app(kernel="scharr_y", res=128)
    assert_clean(at)
    assert any("length of (Scharr x, Scharr y)" in h.value for h in at.get("html"))


def test_sliding_window_steps_forward_and_back():
    at = run_app(view="sliding", sw="lecture", res=128, padk="valid")
    assert_clean(at)

    def step_text():
        return next(t for t in markdown_texts(at) if t.startswith("Step **"))

    assert step_text().startswith("Step **1** of 8")  # 4 x 6 lecture grid, 3x3 valid -> 2 x 4
    at.button(key="conv_next").click().run()
    assert step_text().startswith("Step **2** of 8")
    # Step 2 is output (0, 1) of the lecture exercise: Sobel x gives -1 there.
    assert any(t.endswith("= **-1**") for t in markdown_texts(at))
    at.button(key="conv_back").click().run()
    at.button(key="conv_back").click().run()
    assert step_text().startswith("Step **8** of 8")
    assert_clean(at)


def test_code_tab_shows_a_runnable_torch_call():
    at = run_app(view="code", padk="amount", pad=2, mode="reflect")
    code = [c.value for c in at.code]
    assert code and "F.pad(x, (2, 2, 2, 2), mode='reflect')" in code[0]
    assert "F.conv2d" in code[0]


def test_summed_mode_with_per_channel_kernels():
    at = run_app(
        view="inspector",
        colour="summed",
        own=1,
        kr="1 0; 0 0",
        kg="0 1; 0 0",
        kb="0 0; 0 1",
        res=128,
    )
    assert_clean(at)
    assert any("Summed over the channels" in t for t in html_texts(at))
    at.text_input(key="conv_kg").set_value("1 2 3; 4 5 6; 7 8 9").run()
    assert any("must have the same size" in e.value for e in at.error)
    assert not at.exception


def _kernel_beside_map(at) -> str:
    """The kernel drawn between the input and the feature map (not the sidebar copy)."""
    texts = [h.value for h in at.main.get("html") if "&lowast;" in h.value]
    assert len(texts) == 1, texts
    return texts[0]


def test_kernel_sits_between_input_and_feature_map_with_its_numbers():
    at = run_app(kernel="custom", custom="1 -2; 3.5 0")
    assert_clean(at)
    shown = _kernel_beside_map(at)
    assert "kernel 2 x 2" in shown
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", shown)
    assert cells == ["1", "-2", "3.5", "0"]


def test_large_kernel_beside_the_map_is_drawn_as_cells_and_flip_is_named():
    at = run_app(kernel="random", rsize=9, seed=3, flip=1)
    assert_clean(at)
    shown = _kernel_beside_map(at)
    assert "kernel 9 x 9, turned 180 degrees" in shown
    assert "<td" not in shown
    assert shown.count("width:") == 9 * 9


def test_a_non_finite_custom_kernel_is_explained_where_the_map_was():
    at = run_app(kernel="custom")
    at.text_input(key="conv_custom").set_value("1 0 -1; 2 nan -2; 1 0 -1").run()
    assert not at.exception
    main_errors = [e.value for e in at.main.error]
    assert any("Row 2, column 2 is nan; use a finite number" in e for e in main_errors)
    assert "conv_map_0" not in clickable_pictures(at)
    at.text_input(key="conv_custom").set_value("1 0 -1; 2 0 -2; 1 0 -1").run()
    assert_clean(at)
    assert "conv_map_0" in clickable_pictures(at)


def test_an_emptied_grid_cell_is_called_empty():
    """The grid editor writes an emptied cell into the kernel text as EMPTY_CELL; the page
    then names the cell as empty, not as "'?' is not a number"."""
    emptied = [["1", "0", "-1"], ["2", "", "-2"], ["1", "0", "-1"]]
    at = run_app(kernel="custom")
    at.text_input(key="conv_custom").set_value(cells_to_text(emptied)).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("Row 2, column 2 is empty: type a number there." in e for e in errors), errors
    assert not any("is not a number" in e for e in errors)


def test_a_very_thin_upload_is_explained(tmp_path):
    from PIL import Image

    path = tmp_path / "thin.png"
    Image.new("RGB", (20000, 2), (120, 120, 120)).save(path)
    at = run_app()
    at.radio(key="conv_source").set_value("Upload").run()
    at.file_uploader(key="conv_upload").set_value(("thin.png", path.read_bytes(), "image/png"))
    at.run()
    assert not at.exception
    notes = " ".join(i.value for i in at.info)
    assert "Your image is 20000 x 2 pixels" in notes
    assert "it becomes 512 x 1" in notes


def test_the_kernel_between_input_and_map_is_said_in_words():
    """A screen reader hears "convolved with" for the sign (not "asterisk") and the kernel's
    values even when it is drawn as coloured cells only (above 5 x 5)."""
    at = run_app(kernel="custom", custom="; ".join(["1 2 3 4 5 6 7"] * 7), res=128)
    assert_clean(at)
    block = next(h for h in html_texts(at) if "convolved with" in h)
    assert "role='img' aria-label='Kernel, 7 x 7, rows: 1 2 3 4 5 6 7; 1 2 3 4 5 6 7;" in block
    at = run_app(kernel="laplacian", res=128, flip=1)
    block = next(h for h in html_texts(at) if "convolved with" in h)
    assert 'aria-label="Kernel 3 x 3, turned 180 degrees"' in block
