"""One student of the load benchmark (``benchmarks/load.py``), in its own browser context:
it joins, uploads its own photo on each page, presses Stride once a second and, after
every change, checks that the input picture it gets back is its own. Every failure is
recorded in its ``Session``; none escapes. The readers below run in the page."""

from __future__ import annotations

import asyncio
import io
import time
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from .browser import FEATURE_MAP, PLAIN_IMAGE, ROOT

ARTIFACTS = ROOT / "test-artifacts"
LEVEL_TOLERANCE = 3  # grey levels; neighbouring sessions' photos are 7 apart

# The page-side readers: the picture an <img> shows, as a median grey level, and waiting
# until an image changes.
_MEDIAN_GREY = """(caption) => new Promise((resolve) => {
  const deadline = performance.now() + 15000;
  const read = () => {
    const box = [...document.querySelectorAll('[data-testid="stImage"], figure.cs-picture')]
      .find(b => b.textContent.includes(caption));
    const img = box && box.querySelector('img');
    if (!img || !img.complete || !img.naturalWidth) {
      if (performance.now() > deadline) resolve(-1); else setTimeout(read, 50);
      return;
    }
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    const greys = [];
    for (let i = 0; i < data.length; i += 4 * 7)
      greys.push(0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2]);
    greys.sort((a, b) => a - b);
    resolve(greys[greys.length >> 1]);
  };
  read();
})"""

# After a miss: how many such pictures the page holds, and which still show the old one.
_PICTURES_NOW = """([old, selector]) => [...document.querySelectorAll(selector)]
  .map((img) => (img.src === old ? "old" : img.complete ? "new" : "loading")).join(" ")"""

_CURRENT_SRC = """(selector) => {
  const img = document.querySelector(selector);
  return img ? img.src : '';
}"""

_WAIT_NEW_SRC = """([old, selector]) => new Promise((resolve, reject) => {
  const deadline = performance.now() + 60000;
  const check = () => {
    const img = document.querySelector(selector);
    if (img && img.src !== old && img.complete && img.naturalWidth > 0) resolve(true);
    else if (performance.now() > deadline) reject(new Error('no new picture in 60 s'));
    else setTimeout(check, 10);
  };
  check();
})"""


def level(index: int) -> int:
    """The median grey of session ``index``'s photo: 8 levels apart, 30 sessions fit."""
    return 24 + 7 * index if index < 30 else 24 + (7 * index) % 210


def photo(index: int, side: tuple[int, int] = (4000, 3000)) -> bytes:
    """A 12 MP JPEG of phone-photo size (a few MB): waves and grain around this session's
    grey level. Both are symmetric around it, so shrinking keeps the median in place."""
    width, height = side
    rows = np.sin(np.arange(height, dtype=np.float32) / 23)[:, None]
    columns = np.sin(np.arange(width, dtype=np.float32) / 37)[None, :]
    grain = np.random.default_rng(index).uniform(-8, 8, (height, width)).astype(np.float32)
    grey = np.clip(level(index) + 18 * rows * columns + grain, 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(np.stack([grey] * 3, axis=-1)).save(buffer, format="JPEG", quality=88)
    return buffer.getvalue()


@dataclass
class Session:
    index: int  # which photo
    index_in_round: int = 0
    join_seconds: float = float("nan")
    changes: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    leaks: int = 0
    checks: int = 0
    retried: int = 0  # key presses that missed the slider and were pressed again
    leak_notes: list[str] = field(default_factory=list)
    loads: list[float] = field(default_factory=list)  # when the benchmark loaded a page
    sockets: list[float] = field(default_factory=list)  # when the page opened a websocket
    references: dict[str, float] = field(default_factory=dict)


async def _settled(page) -> None:
    await page.wait_for_selector('[data-testid="stApp"]')
    for _ in range(600):
        await asyncio.sleep(0.1)
        if not await page.locator('[data-testid="stStatusWidget"]').count():
            return


async def _upload(page, data: bytes, caption: str) -> None:
    """Upload through the sidebar. A file set while the rerun that brought the uploader
    is still being painted can land in an input that is then replaced (no person is that
    fast): if no file shows in the uploader, it is sent again."""
    # By its role: a click on the text can land on a neighbour while the layout settles.
    upload = page.get_by_role("radio", name="Upload", exact=True).first
    await upload.wait_for(timeout=180_000)
    await upload.dispatch_event("click")
    await page.locator('[data-testid="stFileUploaderDropzone"]').first.wait_for(timeout=180_000)
    await _settled(page)
    for attempt in range(3):
        await page.locator('input[type="file"]').first.set_input_files(
            {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": data}
        )
        try:
            await page.get_by_text(caption).first.wait_for(timeout=15_000)
            break
        except Exception:
            if attempt == 2 or await page.locator('[data-testid="stFileUploaderFile"]').count():
                await page.get_by_text(caption).first.wait_for(timeout=180_000)
                break
    await _settled(page)


async def _check_own(page, session: Session, caption: str) -> None:
    """The input picture on the page is this session's photo.

    The Convolution page shows the input as grey levels, so its median is the photo's own
    level. The Pooling page shows it through a colour map: there the first reading after
    the session's own upload is the reference every later one must match."""
    grey = await page.evaluate(_MEDIAN_GREY, caption)
    session.checks += 1
    expected = level(session.index)
    if caption.startswith("Before pooling"):
        expected = session.references.setdefault(caption, grey)
    if grey < 0:
        session.errors.append(f"no picture captioned {caption!r}")
    elif abs(grey - expected) > LEVEL_TOLERANCE:
        session.leaks += 1
        session.leak_notes.append(
            f"leak? session {session.index} expected grey {expected:.1f}, "
            f"saw {grey:.1f} under {caption!r}"
        )


async def _change(page, slider: str, selector: str, presses: int, session: Session) -> float:
    """Press an arrow key on the slider; seconds until the new map is painted.

    A key pressed while the page is being redrawn can miss the slider (the page's link
    then stays the same). Such a press is pressed again once and counted in ``retried``;
    a second miss is an error."""
    for attempt in range(2):
        old = await page.evaluate(_CURRENT_SRC, selector)
        link = await page.evaluate("() => location.href")
        await page.get_by_role("slider", name=slider).first.focus()
        start = time.perf_counter()
        await page.keyboard.press("ArrowRight" if presses % 2 == 0 else "ArrowLeft")
        try:
            await page.evaluate(_WAIT_NEW_SRC, [old, selector])
            return time.perf_counter() - start
        except Exception as problem:
            now = await page.evaluate("() => location.href")
            if attempt == 0 and now == link:
                session.retried += 1
                continue
            said = "the link changed" if now != link else "the link stayed the same"
            pictures = await page.evaluate(_PICTURES_NOW, [old, selector])
            raise RuntimeError(
                f"no new picture in 60 s after a {slider} key ({said}: {now}; "
                f"pictures matching the selector: {pictures or 'none'})"
            ) from problem
    raise AssertionError("unreachable")


async def _describe(page, name: str) -> str:
    """Where a failed session stood: its link, sidebar text and messages, and a
    screenshot under test-artifacts/ (for reading, never for a verdict)."""
    try:
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / f"load-{name}.png"))
        sidebar = page.locator('[data-testid="stSidebar"]')
        text = (await sidebar.inner_text())[-300:] if await sidebar.count() else ""
        link = await page.evaluate("() => location.href")
        return f" | at {link} | sidebar: {' '.join(text.split())} | {await _errors_on(page)}"
    except Exception:  # the page is gone: nothing more to say
        return ""


async def _errors_on(page) -> list[str]:
    boxes = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
    return [await boxes.nth(i).inner_text() for i in range(await boxes.count())]


STAGES = {  # page path, its slider, the caption of its input picture
    True: [("", "Stride", "Input: your upload"), ("pooling", "Stride", "Before pooling")],
    False: [("", "Value", "")],
}


class Gates:
    """Phases every session passes together: the join, then per page its upload (not
    measured as changes) and its changes. The conductor opens each phase once every
    session is ready for it, so server CPU can be read at each phase's edges."""

    def __init__(self, sessions: int, stages: int):
        self.ready = [[asyncio.Event() for _ in range(sessions)] for _ in range(1 + stages)]
        self.go = [asyncio.Event() for _ in range(stages)]
        self.ends = [0.0] * stages
        self.done = [[asyncio.Event() for _ in range(sessions)] for _ in range(stages)]

    def release(self, index: int) -> None:
        """A session that failed marks every later phase as reached, so no one waits."""
        for events in (*self.ready, *self.done):
            events[index].set()
        for gate in self.go:
            gate.set()


async def _student(browser, url: str, session: Session, gates: Gates, app: bool) -> None:
    """One student's whole visit; every failure is recorded, none escapes."""
    context = await browser.new_context(viewport={"width": 1280, "height": 860})
    page = await context.new_page()
    # Every page the benchmark loads opens its websocket; one more than the loads means
    # the page lost its connection and opened another: said in the error, for whoever
    # reads a failed round.
    page.on("websocket", lambda socket: session.sockets.append(time.perf_counter()))
    me = session.index_in_round
    start = time.perf_counter()
    try:
        session.loads.append(time.perf_counter())
        await page.goto(url + ("/" if app else "/?side=512"))
        await page.wait_for_selector(FEATURE_MAP if app else PLAIN_IMAGE, timeout=180_000)
        session.join_seconds = time.perf_counter() - start
        gates.ready[0][me].set()
        data = photo(session.index) if app else b""
        for number, (path, slider, caption) in enumerate(STAGES[app]):
            if app:
                if number:
                    session.loads.append(time.perf_counter())
                    await page.goto(f"{url}/{path}")
                    await _settled(page)
                await _upload(page, data, caption)
                await _check_own(page, session, caption)
            gates.ready[number + 1][me].set()
            await gates.go[number].wait()
            selector = FEATURE_MAP if app else PLAIN_IMAGE  # the feature map, the pooled map
            presses = 0
            while time.perf_counter() < gates.ends[number]:
                tick = time.perf_counter()
                session.changes.append(await _change(page, slider, selector, presses, session))
                presses += 1
                if app:
                    await _check_own(page, session, caption)
                await asyncio.sleep(max(0.0, 1.0 - (time.perf_counter() - tick)))
            gates.done[number][me].set()
        session.errors += await _errors_on(page)
    except Exception as problem:  # a timeout or a closed page is an error, counted
        where = await _describe(page, f"session-{session.index}")
        where += f" | {_sockets_said(session, start)} (server log: test-artifacts/load-server-*)"
        session.errors.append(f"{type(problem).__name__}: {str(problem)[:200]}{where}")
    finally:
        gates.release(me)
        await context.close()


def _sockets_said(session: Session, start: float) -> str:
    """The pages the benchmark loaded and the websockets they opened, in seconds from the
    visit's start: each load opens one; any more were opened after a lost connection."""

    def times(moments: list[float]) -> str:
        return ", ".join(f"{t - start:.1f}" for t in moments) + " s" if moments else "none"

    more = len(session.sockets) - len(session.loads)
    said = f"one per load and {more} more: the page reconnected" if more > 0 else "no reconnect"
    loads, sockets = times(session.loads), times(session.sockets)
    return f"pages loaded: {loads}; websockets opened: {sockets} ({said})"
