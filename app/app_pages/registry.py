"""Every page of the app, once: its file, heading (title and summary), address, settings
prefix, needs and views.

The router builds the navigation from this table, each page takes its heading and its
settings prefix from its own row, and ``tests/app/test_page_registry.py`` checks that
every page file is here and that prefixes and addresses are unique.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path


@dataclass(frozen=True)
class PageInfo:
    script: str  # the page file, relative to app/ (what st.Page runs)
    title: str  # in the navigation and as the page's heading
    prefix: str  # session-state prefix of the page's settings (its PageState)
    icon: str  # a Material icon name
    section: str
    summary: str = ""  # the line under its heading (empty where the page words its own)
    needs_torch: bool = False  # the router loads PyTorch before running it
    map_first: bool = False  # a new session's map is painted before the sidebar (paint_first)
    default: bool = False  # the start page, at the app's root address
    # The views of its "Look closer" switch (URL value: label), the first shown at first.
    views: dict[str, str] = field(default_factory=dict)

    @cached_property  # read ~70 times in every run
    def name(self) -> str:
        """The page's address without the root: its file's name."""
        return Path(self.script).stem

    @cached_property
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
        summary="Slide a small kernel over the image: each output pixel is a weighted sum.",
        map_first=True,
        default=True,
    ),
    PageInfo(
        "app_pages/basics/pooling.py",
        "Pooling",
        "pool",
        "grid_view",
        BASICS,
        summary=(
            "Shrink a map by summarising each window: a small shift inside a window changes little."
        ),
        map_first=True,
        views={
            "window": "Window arithmetic",
            "switches": "Max-pool switches",
            "shift": "Shift lab",
        },
    ),
    PageInfo(
        "app_pages/basics/layer_stack.py",
        "Layer stack",
        "stack",
        "layers",
        BASICS,
        summary=(
            "Convolution, activation and pooling in turn: each layer's maps are the next one's "
            "input. Weights are counted against a fully connected layer of the same size."
        ),
    ),
    PageInfo(
        "app_pages/basics/receptive_field.py",
        "Receptive field",
        "rf",
        "center_focus_strong",
        BASICS,
        summary="Which input pixels can change one unit of a layer, and which really do.",
        needs_torch=True,
    ),
    PageInfo(
        "app_pages/under_the_hood/matrix.py",
        "Convolution as matrix",
        "matrix",
        "table_chart",
        UNDER_THE_HOOD,
        summary=(
            "The same convolution three ways: windows copied into a matrix (im2col), one big "
            "sparse matrix, and its transpose for the backward pass."
        ),
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
        summary=(
            "Convolution behaves like multiplication: check it on your own image, "
            "to the last digit."
        ),
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
        summary=(
            "A colour image is a 3 x H x W volume; every filter is as deep as its input, and a "
            "layer of them makes a new volume."
        ),
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
        summary=(
            "Upsampling with a kernel: every input value stamps a scaled copy of the kernel into "
            "a larger output, and the stamps add up."
        ),
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
        summary=(
            "One line of numbers is enough to see what a convolution does, and how a network "
            "finds its kernel."
        ),
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
        summary="A small trained CNN: give it a picture and watch every layer respond.",
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
        summary=(
            "Watch a network learn the digits: the loss falls, the accuracy climbs, and the first "
            "layer's kernels turn from noise into stroke detectors."
        ),
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
    PageInfo(
        "app_pages/classroom/quiz.py",
        "Quiz",
        "quiz",
        "quiz",
        CLASSROOM,
        summary=(
            "Work it out, answer, then see the arithmetic. In a class everyone gets the teacher's "
            "question, and the teacher sees how the answers spread."
        ),
    ),
    PageInfo(
        "app_pages/classroom/compare.py",
        "Compare images",
        "compare",
        "compare",
        CLASSROOM,
        summary=(
            "One kernel, several pictures: see how the same weights answer a face, text and a "
            "texture."
        ),
    ),
    PageInfo(
        "app_pages/classroom/live_camera.py",
        "Live camera",
        "live",
        "videocam",
        CLASSROOM,
        summary="Your camera through the kernels, frame by frame: move, and watch the maps move.",
    ),
)
SECTIONS = (BASICS, UNDER_THE_HOOD, NETWORKS, CLASSROOM)
BY_NAME = {page.name: page for page in PAGES}
