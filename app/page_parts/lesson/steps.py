"""The lesson: thirteen steps from one weighted sum to a trained network.

Each step says what to notice in a few sentences, shows one figure computed on the
lesson's picture, and links to the page where the idea can be explored in full, opened
with the settings that match the figure. The facts are the textbook ones (Goodfellow,
Bengio & Courville, "Deep Learning", 2016, chapter 9; Grosse, CSC321 notes on
convolutional networks).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from cnn_core import KERNELS
from cnn_core.kernel_text import format_kernel
from cnn_core.receptive_field import GEOMETRY_PRESETS
from cnn_core.stack import PRESETS

from . import figures_channels, figures_layer, figures_network
from .digit_step import digit_network


@dataclass(frozen=True)
class Link:
    """The full page for a step, and the settings it opens with (as URL values)."""

    page: str  # url path of the page ("" is the Convolution page)
    title: str  # the page's name on the button
    params: dict[str, str] = field(default_factory=dict)
    takes_picture: bool = True  # the page shows the lesson's sample at its size


@dataclass(frozen=True)
class Step:
    title: str
    text: str  # markdown, a few sentences
    figure: Callable  # (H, W, 3) picture in [0, 1] -> Figure
    link: Link


_SOBEL = KERNELS["sobel_x"]
_NOTHING = format_kernel(_SOBEL * 0)
_BLUR_7 = "; ".join(["1 1 1 1 1 1 1"] * figures_layer.BLUR_SIDE)

STEPS: tuple[Step, ...] = (
    Step(
        "Why not connect every pixel?",
        "A layer where every unit sees every pixel needs one weight for each pixel and each "
        "unit. On a photo that is tens of millions of weights for a single layer: slow to "
        "compute, hungry for training data, and blind to the fact that neighbouring pixels "
        "belong together.",
        figures_layer.fully_connected,
        Link("layer_stack", "Layer stack", {"layers": PRESETS["lenet"]}),
    ),
    Step(
        "Look locally, share the weights",
        "Two ideas fix that. **Locality**: an output looks only at a small window around "
        "its position. **Sharing**: every position uses the same small set of weights, "
        "because an edge is an edge wherever it appears.",
        figures_layer.shared_weights,
        Link("", "Convolution", {"view": "inspector"}),
    ),
    Step(
        "The convolution itself",
        "Multiply each kernel weight with the pixel beneath it, add the products, write "
        "the sum at the window's position, move on. Deep-learning libraries do exactly this "
        "without turning the kernel around first (strictly, a cross-correlation).",
        figures_layer.the_sum,
        Link("", "Convolution", {"view": "sliding"}),
    ),
    Step(
        "Kernels are feature detectors",
        "The weights decide which pattern gives a strong answer. Sobel kernels answer "
        "brightness changes in one direction, a blur answers the local average, a sharpen "
        "kernel the difference between a pixel and its neighbours. A network learns such "
        "kernels instead of being handed them.",
        figures_layer.detectors,
        Link("", "Convolution", {"kernel": "sobel_y"}),
    ),
    Step(
        "Padding keeps the size",
        "Near the border a window hangs over the edge. Without padding those positions "
        "are skipped and the map shrinks; with a frame of zeros (or copies of the edge) "
        "the map keeps the input's size.",
        figures_layer.padding,
        Link(
            "", "Convolution", {"kernel": "custom", "custom": _BLUR_7, "norm": "1", "padk": "valid"}
        ),
    ),
    Step(
        "Stride skips positions",
        "The kernel need not stop at every pixel. With stride 2 it jumps two pixels at a "
        "time: the map is half as tall and half as wide, a cheap way to shrink.",
        figures_layer.stride,
        Link("", "Convolution", {"stride": "2"}),
    ),
    Step(
        "Dilation widens the window",
        "Spread the kernel's taps apart and the same nine weights cover a wider area. "
        "Dilated convolutions see further without more weights or less resolution.",
        figures_layer.dilation,
        Link("", "Convolution", {"kernel": "laplacian", "dil": "2"}),
    ),
    Step(
        "Channels and filters",
        "A colour picture has three channels, a hidden layer dozens. A filter reaches "
        "through all of them: its weights form a block as deep as the input, and it "
        "produces one map. A layer with many filters produces as many maps.",
        figures_channels.filter_over_channels,
        Link(
            "",
            "Convolution",
            {
                "colour": "summed",
                "own": "1",
                "kr": format_kernel(_SOBEL),
                "kg": _NOTHING,
                "kb": format_kernel(-_SOBEL),
            },
        ),
    ),
    Step(
        "1 x 1 convolutions mix channels",
        "A 1 x 1 filter ignores the neighbours and combines the channels of each pixel: "
        "gray from red, green and blue is one. Stacks of them compress many channels into "
        "few, which makes the next layer cheaper.",
        figures_channels.one_by_one,
        Link("channels", "Channels and groups", {"view": "mix"}),
    ),
    Step(
        "Activation",
        "After each convolution a nonlinearity bends the answer. ReLU keeps positive "
        "values and sets negative ones to zero; without such a step, any stack of "
        "convolutions would be one convolution.",
        figures_network.activation,
        Link("", "Convolution", {"act": "relu"}),
    ),
    Step(
        "Pooling and small shifts",
        "Pooling reports one number per window: the largest (max) or the mean. The map "
        "gets smaller, and a feature that moves a little inside its window leaves the "
        "pooled value as it was.",
        figures_network.pooling,
        Link("pooling", "Pooling", {"view": "shift", "size": "4", "stride": "4"}),
    ),
    Step(
        "Receptive fields grow",
        "A unit in the first layer sees a kernel's width of pixels; a unit deeper down "
        "sees a window of windows. Every layer widens the field, and every pooling makes "
        "the next layers widen it faster.",
        figures_network.fields,
        Link("receptive_field", "Receptive field", {"layers": GEOMETRY_PRESETS["conv5_pool2"]}),
    ),
    Step(
        "A trained network's layers",
        "Put it together: convolutions, ReLU and pooling twice, then two fully connected "
        "layers. Trained on handwritten digits, its kernels became stroke detectors. This "
        "step shows a digit it never saw in training, so it uses that digit rather than "
        "your picture.",
        digit_network,
        Link("network", "Digit network", {"idx": "0"}, takes_picture=False),
    ),
)
