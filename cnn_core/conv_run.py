"""One convolution of a picture as the Convolution and Compare pages show it: the planes
the kernel sees (gray, each colour channel, or summed over channels), the raw maps and
the maps after the activation, and whether they are best seen as brightness."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import ACTIVATIONS, apply_activation
from .colour import convolve_planes, input_planes, map_names
from .kernels import preserves_brightness


@dataclass(frozen=True)
class ConvRun:
    """One convolution of the page's image, with everything the views need."""

    planes: np.ndarray  # (C, H, W) what the kernel sees
    kernel: np.ndarray  # (kh, kw) or (3, kh, kw)
    flip: bool
    colour: str  # "gray" | "channels" | "summed"
    conv_options: dict  # stride, padding, padding_mode, dilation as conv2d takes them
    activation: str
    raw_maps: np.ndarray  # (n, H', W') before the activation
    maps: np.ndarray  # (n, H', W') after it

    @classmethod
    def compute(cls, rgb, kernel, *, flip, colour, conv_options, activation) -> ConvRun:
        planes = input_planes(rgb, colour)  # (C, H, W)
        raw = convolve_planes(planes, kernel, colour, flip=flip, **conv_options)
        return cls(
            planes=planes,
            kernel=kernel,
            flip=flip,
            colour=colour,
            conv_options=conv_options,
            activation=activation,
            raw_maps=raw,
            maps=apply_activation(activation, raw),
        )

    @property
    def names(self) -> tuple[str, ...]:
        return map_names(self.colour)

    @property
    def signed(self) -> bool:
        """Whether the maps can hold negative values (they need the diverging colours)."""
        return ACTIVATIONS[self.activation].can_be_negative or bool(self.maps.min() < 0)


def looks_like_an_image(kernel: np.ndarray, colour: str, activation: str) -> bool:
    """Whether the output is best seen as brightness: the weights add up to 1 (blurs,
    sharpen, identity) and the activation does not squash, so the map keeps the input's
    brightness scale."""
    times = 3 if colour == "summed" and kernel.ndim == 2 else 1
    return preserves_brightness(kernel, times=times) and not ACTIVATIONS[activation].squashes
