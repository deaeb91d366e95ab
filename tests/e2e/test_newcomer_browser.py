"""What a newcomer hit in a real browser, each checked where it happened."""

import pytest

from .conftest import ARTIFACTS, error_texts, screenshot, upload_file, wait_for_app

pytestmark = pytest.mark.browser


def _main_scroll(page) -> tuple[int, int]:
    return page.evaluate(
        "() => { const m = document.querySelector('[data-testid=stMain]');"
        " return [m.scrollWidth, m.clientWidth]; }"
    )


def test_on_a_phone_the_formula_fits_and_the_title_clears_the_header(browser, server_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(server_url + "/?padk=amount&pad=3&dil=2&stride=3")
    wait_for_app(page)
    title = page.get_by_role("heading", name="Convolution").first.bounding_box()
    header = page.locator('[data-testid="stHeader"]').bounding_box()
    assert title["y"] >= header["y"] + header["height"] - 1, (title, header)
    formula = page.locator(".cs-formula").first
    formula.scroll_into_view_if_needed()
    scroll_width, client_width = _main_scroll(page)
    assert scroll_width <= client_width, "the page scrolls sideways"
    box = formula.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert error_texts(page) == []
    screenshot(page, "phone-convolution-formula")
    context.close()


def test_a_bad_custom_kernel_is_explained_where_the_map_was(page, server_url):
    page.goto(server_url + "/?kernel=custom&custom=1%200%20-1;%202%200%20-2;%201%200%20-1")
    wait_for_app(page)
    field = page.get_by_label("Or type it: rows separated by ; (fractions like 1/9 work)")
    field.fill("1 0 -1; 2 nan -2; 1 0 -1")
    field.press("Enter")
    main_errors = page.locator('[data-testid="stMain"] [data-testid="stAlertContentError"]')
    main_errors.filter(has_text="Row 2, column 2 is nan").first.wait_for(timeout=30_000)
    assert "Row 2, column 2 is nan" in " ".join(main_errors.all_inner_texts())
    assert main_errors.first.is_visible()
    screenshot(page, "bad-kernel-in-main")


def test_an_upload_over_the_limit_is_explained_on_the_page(page, server_url):
    big = ARTIFACTS / "over-the-limit.png"
    big.write_bytes(b"\x89PNG" + bytes(21_500_000))
    page.goto(server_url)
    wait_for_app(page)
    upload_file(page, str(big), "is larger than the 20 MB upload limit", timeout=30)
    message = page.locator('[data-testid="stMain"] [data-testid="stAlertContentError"]')
    text = message.first.inner_text()
    assert "(21.5 MB) is larger than the 20 MB upload limit" in text
    assert message.first.is_visible()
    screenshot(page, "upload-over-the-limit")
    big.unlink()


def test_emptying_a_grid_cell_says_the_cell_is_empty(page, server_url):
    page.goto(server_url + "/?kernel=custom")
    wait_for_app(page)
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for()
    grid.scroll_into_view_if_needed()
    wait_for_app(page)
    box = grid.bounding_box()
    # Row 2, column 2 of the 3 x 3 grid: the header row and the index column come first.
    rows, cols = 4, 4
    x = box["x"] + box["width"] * 2.5 / cols
    y = box["y"] + box["height"] * 2.5 / rows
    page.mouse.click(x, y)
    # The grid's own list of cells for screen readers marks the selected one: row 2,
    # column 2 (after the index column) is glide-cell-2-1. Delete empties it.
    page.locator('[data-testid="glide-cell-2-1"][aria-selected="true"]').wait_for(state="attached")
    page.keyboard.press("Delete")
    message = page.get_by_text("Row 2, column 2 is empty: type a number there.").first
    message.wait_for(timeout=30_000)
    wait_for_app(page)
    errors = " ".join(error_texts(page))
    assert "Row 2, column 2 is empty: type a number there." in errors, errors
    assert "is not a number" not in errors
    screenshot(page, "empty-grid-cell")


def test_a_very_thin_image_is_explained(page, server_url):
    from PIL import Image

    path = ARTIFACTS / "thin-20000x2.png"
    Image.new("RGB", (20000, 2), (90, 140, 200)).save(path)
    page.goto(server_url + "/?res=512")
    wait_for_app(page)
    upload_file(page, str(path), "Your image is 20000 x 2 pixels")
    note = page.locator('[data-testid="stMain"] [data-testid="stAlertContentInfo"]')
    text = note.first.inner_text()
    size = page.locator('[data-testid="stSlider"]').filter(has_text="Working size")
    shown = size.locator('[data-testid="stSliderThumbValue"]').first.inner_text()
    link = page.evaluate("() => location.href")
    # (the working size and the link are in the message: this once failed at 128 px)
    assert "Your image is 20000 x 2 pixels" in text and "512 x 1" in text, (text, shown, link)
    screenshot(page, "thin-image-note")
    path.unlink()


def test_a_receptive_field_preset_shows_its_last_layer(page, server_url):
    page.goto(server_url + "/receptive_field?res=256&layer=6")
    wait_for_app(page, timeout=90)
    page.get_by_role("button", name="VGG-16").click()
    page.get_by_text("Theoretical field of unit").first.wait_for(timeout=30_000)
    wait_for_app(page)
    caption = page.get_by_text("Theoretical field of unit").first.inner_text()
    assert "of layer 18" in caption and "212 x 212 pixels" in caption
    assert error_texts(page) == []


def test_the_formula_names_what_rounding_leaves_out_in_plain_words(page, server_url):
    # cat at 256 is 170 x 256; 3x3 valid at stride 2: 169 / 2 and 255 / 2 round down.
    page.goto(server_url + "/?sample=cat&res=256&padk=valid&stride=2")
    wait_for_app(page)
    note = page.locator(".cs-formula .note").first.inner_text()
    assert "the kernel never reaches the last row and the last column of the image" in note
    assert "(s)" not in note
