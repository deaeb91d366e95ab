"""The colour-vision-safe palette in chromium: the sidebar switch recolours the feature map
(read back from the picture the browser shows) and puts ``palette=safe`` in the address;
a link with it opens in those colours."""

from __future__ import annotations

import pytest

from .conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser

# The step edge at 128 px: Sobel x is zero on both flat halves, so a point a quarter of
# the way in from the top left is zero: white in the standard palette (RdBu's #f7f7f7),
# pale yellow in the safe one (sunset's #eaeccc).
ADDRESS = "/?sample=step_edge&res=128"
ZERO_STANDARD, ZERO_SAFE = [247, 247, 247], [234, 236, 204]

# The colour of the feature map at a quarter of its width and height, as the browser
# decoded it (the map is the clickable picture; PNG at this size, so exact).
MAP_COLOUR = """() => {
  const img = document.querySelector("img.convscope-clickable");
  if (!img || !img.complete || !img.naturalWidth) return null;
  const canvas = document.createElement("canvas");
  canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
  const ink = canvas.getContext("2d");
  ink.drawImage(img, 0, 0);
  const [r, g, b] = ink.getImageData(canvas.width >> 2, canvas.height >> 2, 1, 1).data;
  return [r, g, b];
}"""


def _map_colour_becomes(page, colour: list[int]) -> None:
    wanted = ",".join(map(str, colour))
    page.wait_for_function(f"() => String(({MAP_COLOUR})()) === '{wanted}'", timeout=60_000)


def test_switch_changes_the_map_and_the_address(page, server_url):
    page.goto(server_url + ADDRESS)
    wait_for_app(page, timeout=90)
    _map_colour_becomes(page, ZERO_STANDARD)
    # Streamlit's toggle is a switch; its painted track covers the input, so it is
    # flipped as a keyboard user does: focus, then Space.
    switch = page.get_by_role("switch", name="Colour-vision-safe colours")
    assert not switch.is_checked()
    switch.focus()
    page.keyboard.press("Space")
    page.wait_for_url("**palette=safe**", timeout=60_000)
    _map_colour_becomes(page, ZERO_SAFE)
    wait_for_app(page)
    screenshot(page, "palette-safe")
    # and back
    switch.focus()
    page.keyboard.press("Space")
    page.wait_for_function("() => !location.search.includes('palette')", timeout=60_000)
    _map_colour_becomes(page, ZERO_STANDARD)


def test_link_opens_in_the_safe_colours(page, server_url):
    page.goto(server_url + ADDRESS + "&palette=safe")
    wait_for_app(page, timeout=90)
    _map_colour_becomes(page, ZERO_SAFE)
    assert page.get_by_role("switch", name="Colour-vision-safe colours").is_checked()
    assert "palette=safe" in page.url
