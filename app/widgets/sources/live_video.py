"""A live camera stream processed on the server, frame by frame (streamlit-webrtc).

The browser sends its camera over WebRTC; each frame reaches ``FrameWork`` in a worker
thread, which hands it (RGB uint8) to the page's ``process`` function and sends back
what that returns. The page swaps ``process`` on every run (new settings take effect on
the next frame) and reads the frame rate, the time spent per frame and whatever
``process`` chose to report. Frames are never stored or logged; ``process`` sees one at a
time and may keep a copy of the latest (for "use this frame").

WebRTC normally asks public STUN servers for a route; on loopback and on one network the
browser and server reach each other directly, so no ICE servers are configured.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import streamlit as st

Process = Callable[[np.ndarray], tuple[np.ndarray, object]]  # frame -> (shown, report)
FPS_WINDOW = 30  # frames the rate is measured over


@dataclass(frozen=True)
class LiveStats:
    frames: int  # processed since the stream started
    fps: float  # frames per second over the last FPS_WINDOW frames
    ms_per_frame: float  # server time spent on one frame (median of the window)
    report: object  # the latest report of ``process``


class FrameWork:
    """The thread-safe bridge between the page (settings) and the stream (frames)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._process: Process | None = None
        self._arrivals: deque[float] = deque(maxlen=FPS_WINDOW)
        self._costs: deque[float] = deque(maxlen=FPS_WINDOW)
        self._frames = 0
        self._report: object = None

    def use(self, process: Process) -> None:
        with self._lock:
            self._process = process

    def stats(self) -> LiveStats:
        with self._lock:
            arrivals, costs = list(self._arrivals), sorted(self._costs)
            frames, report = self._frames, self._report
        fps = (len(arrivals) - 1) / (arrivals[-1] - arrivals[0]) if len(arrivals) > 2 else 0.0
        cost = costs[len(costs) // 2] * 1000 if costs else 0.0
        return LiveStats(frames, fps, cost, report)

    def __call__(self, frame):
        import av  # the WebRTC stack, loaded only where a stream runs

        start = time.perf_counter()
        with self._lock:
            process = self._process
        pixels = frame.to_ndarray(format="rgb24")
        shown, report = process(pixels) if process else (pixels, None)
        out = av.VideoFrame.from_ndarray(np.ascontiguousarray(shown), format="rgb24")
        done = time.perf_counter()
        with self._lock:
            self._arrivals.append(done)
            self._costs.append(done - start)
            self._frames += 1
            self._report = report
        return out


def live_video(*, key: str, work: FrameWork, start_label: str = "Start the camera"):
    """The stream's player with its start / stop button; frames go through ``work``.

    Where the WebRTC stack cannot run (it is missing, or the page runs without a browser
    session, as in a script test) the page says so and goes on without the stream."""
    try:
        from streamlit_webrtc import WebRtcMode, webrtc_streamer

        return webrtc_streamer(
            key=key,
            mode=WebRtcMode.SENDRECV,
            rtc_configuration={"iceServers": []},
            media_stream_constraints={"video": {"width": 640, "height": 480}, "audio": False},
            video_frame_callback=work,
            async_processing=True,
            translations={"start": start_label, "stop": "Stop"},
        )
    except (ImportError, AttributeError, RuntimeError) as error:
        st.warning(
            f"The live camera cannot run here ({type(error).__name__}). The camera "
            "snapshot works everywhere: choose Camera as the picture's source."
        )
        return None


def frame_rate_line(stats: LiveStats) -> str:
    if stats.frames < 3:
        return "Waiting for frames..."
    return (
        f"{stats.fps:.1f} frames per second, {stats.ms_per_frame:.1f} ms of server time "
        f"per frame ({stats.frames} frames so far)."
    )
