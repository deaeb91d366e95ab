"""Every page of the app, once: its file, title, address, settings prefix, needs and views.

The router builds the navigation from this table, each page takes its heading and its
settings prefix from its own row, and ``tests/app/test_page_registry.py`` checks that
every page file is here and that prefixes and addresses are unique.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class PageInfo:
    script: str  # the page file, relative to app/ (what st.Page runs)
    title: str  # in the navigation and as the page's heading
    prefix: str  # session-state prefix of the page's settings (its PageState)
    icon: str  # a Material icon name
    section: str
    needs_torch: bool = False  # the router loads PyTorch before running it
    map_first: bool = False  # a new session's map is painted before the sidebar (paint_first)
    default: bool = False  # the start page, at the app's root address
    # The views of its "Look closer" switch (URL value: label), the first shown at first.
    views: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The page's address without the root: its file's name."""
        return Path(self.script).stem

    @property
    def url_path(self) -> str:
        """As Streamlit reports it: the start page's is empty."""
        return "" if self.default else self.name


BASICS = "Convolution and pooling"
UNDER_THE_HOOD = "Under the hood"
NETWORKS = "Networks"
CLASSROOM = "Classroom"

PAGES = (
    PageInfo(
        "app_pages/basics/convolution.py",
        "Convolution",
        "conv",
        "blur_on",
        BASICS,
        map_first=True,
        default=True,
    ),
    PageInfo(
        "app_pages/basics/pooling.py",
        "Pooling",
        "pool",
        "grid_view",
        BASICS,
        map_first=True,
        views={
            "window": "Window arithmetic",
            "switches": "Max-pool switches",
            "shift": "Shift lab",
        },
    ),
    PageInfo("app_pages/basics/layer_stack.py", "Layer stack", "stack", "layers", BASICS),
    PageInfo(
        "app_pages/basics/receptive_field.py",
        "Receptive field",
        "rf",
        "center_focus_strong",
        BASICS,
        needs_torch=True,
    ),
    PageInfo(
        "app_pages/under_the_hood/matrix.py",
        "Convolution as matrix",
        "matrix",
        "table_chart",
        UNDER_THE_HOOD,
        views={
            "forward": "im2col: one matrix product",
            "matrix": "The convolution matrix",
            "backward": "Backward pass",
            "speed": "Speed on your image",
        },
    ),
    PageInfo(
        "app_pages/under_the_hood/properties.py",
        "Properties lab",
        "props",
        "science",
        UNDER_THE_HOOD,
        views={
            "linear": "Linearity",
            "order": "Commutative and associative",
            "shift": "Translation equivariance",
            "flip": "Convolution vs cross-correlation",
        },
    ),
    PageInfo(
        "app_pages/under_the_hood/channels.py",
        "Channels and groups",
        "channels",
        "view_in_ar",
        UNDER_THE_HOOD,
        views={
            "layer": "A layer: volume in, volume out",
            "mix": "1 x 1: mixing channels",
            "cost": "Grouped and depthwise-separable",
        },
    ),
    PageInfo(
        "app_pages/under_the_hood/transposed.py",
        "Transposed convolution",
        "transposed",
        "open_in_full",
        UNDER_THE_HOOD,
        views={
            "stamps": "Stamp by stamp",
            "size": "Output size",
            "conv": "As an ordinary convolution",
            "checker": "Checkerboard artifacts",
        },
    ),
    PageInfo(
        "app_pages/under_the_hood/signals.py",
        "1-D convolution",
        "signals",
        "show_chart",
        UNDER_THE_HOOD,
        views={
            "translate": "Translate and scale",
            "filter": "Flip and filter",
            "edges": "A kernel that finds edges",
            "learn": "Learn a kernel",
        },
    ),
    PageInfo(
        "app_pages/networks/network.py",
        "Digit network",
        "net",
        "neurology",
        NETWORKS,
        needs_torch=True,
        views={
            "none": "Hide",
            "map": "One map up close",
            "kernels": "Learned vs classic kernels",
            "surgery": "Kernel surgery",
            "why": "Why this answer",
            "wants": "What each channel wants",
            "card": "Model card",
        },
    ),
    PageInfo(
        "app_pages/networks/real_networks.py",
        "Real networks",
        "real",
        "photo_camera",
        NETWORKS,
        needs_torch=True,
    ),
    PageInfo(
        "app_pages/networks/your_model.py",
        "Your model",
        "yours",
        "model_training",
        NETWORKS,
        needs_torch=True,
    ),
    PageInfo(
        "app_pages/networks/training.py",
        "Training",
        "train",
        "trending_up",
        NETWORKS,
        needs_torch=True,
    ),
    PageInfo(
        "app_pages/networks/own_classes.py",
        "Your classes",
        "own",
        "category",
        NETWORKS,
        needs_torch=True,
    ),
    PageInfo("app_pages/classroom/lesson.py", "Lesson", "lesson", "school", CLASSROOM),
    PageInfo("app_pages/classroom/quiz.py", "Quiz", "quiz", "quiz", CLASSROOM),
    PageInfo("app_pages/classroom/compare.py", "Compare images", "compare", "compare", CLASSROOM),
    PageInfo("app_pages/classroom/live_camera.py", "Live camera", "live", "videocam", CLASSROOM),
)
SECTIONS = (BASICS, UNDER_THE_HOOD, NETWORKS, CLASSROOM)
BY_NAME = {page.name: page for page in PAGES}
