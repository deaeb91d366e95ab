"""AppTest helpers: run the real app script with chosen URL parameters."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.shell.url_state import generation_key, setting_key

APP = Path(__file__).resolve().parents[2] / "app" / "streamlit_app.py"
PAGES = APP.parent / "app_pages"


@pytest.fixture(autouse=True)
def _no_shared_results():
    """Each test starts without the results an earlier test's sessions shared in this
    process (``app/widgets/shared_results.py``), so no test depends on another's runs."""
    from app.widgets.shared_results import SHARED

    SHARED.clear()


@pytest.fixture
def no_pretrained_weights(monkeypatch, tmp_path):
    """No trained weights in torch's cache (an empty ``TORCH_HOME``): a named architecture
    has random weights. For the tests of a user's own network (Your model)."""
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))


def page_path(page: str) -> str:
    """The router-relative path of a page file, e.g. "app_pages/basics/pooling.py"."""
    (found,) = PAGES.glob(f"*/{page}.py")
    return str(found.relative_to(APP.parent))


def run_app(page: str | None = None, **params) -> AppTest:
    """Run the app (on ``page``, e.g. "pooling", or the Convolution page) with URL params."""
    at = AppTest.from_file(str(APP), default_timeout=120)
    if page is not None:
        at.switch_page(page_path(page))
    for name, value in params.items():
        at.query_params[name] = str(value)
    at.run()
    return at


def setting(at: AppTest, page: str, name: str):
    """The value of setting ``name`` of the page whose settings prefix is ``page``, under
    whatever key the page's widgets have now (see ``PageState.restore``)."""
    generation = at.session_state.get(generation_key(page), 0)
    return at.session_state[setting_key(page, name, generation)]


def page_title(at: AppTest) -> str | None:
    """The page's level-1 heading (it shares its HTML element with the page style)."""
    import html
    import re

    for element in at.get("html"):
        if found := re.search(r'<h1 class="cs-title">(.*?)</h1>', element.proto.body):
            return html.unescape(found.group(1))
    return None


def assert_clean(at: AppTest) -> None:
    """No exception element and no error box on the page."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def clickable_pictures(at: AppTest) -> dict:
    """Every clickable picture on the page (feature maps, pooled maps) by widget key, as
    the decoded RGB array the browser receives."""
    import base64
    import json

    import cv2
    import numpy as np

    pictures = {}
    for element in at.get("bidi_component"):
        source = json.loads(element.proto.json or "{}").get("src", "")
        if not source.startswith("data:image/"):
            continue
        raw = base64.b64decode(source.split(",", 1)[1])
        bgr = cv2.imdecode(np.frombuffer(raw, np.uint8), cv2.IMREAD_COLOR)
        pictures[element.key] = bgr[..., ::-1]
    return pictures


def described_pictures(at: AppTest) -> list[tuple[str, str]]:
    """Every picture drawn with a text alternative (``app/widgets/pictures/described``),
    as (alt, caption) pairs, in page order."""
    import html
    import re

    found = []
    for element in at.get("html"):
        for figure in re.findall(r"<figure.*?</figure>", element.proto.body, flags=re.S):
            alt = re.search(r'<img [^>]*alt="([^"]*)"', figure)
            caption = re.search(r"<figcaption[^>]*>(.*?)</figcaption>", figure, flags=re.S)
            found.append(
                (
                    html.unescape(alt.group(1)) if alt else "",
                    html.unescape(caption.group(1)) if caption else "",
                )
            )
    return found
