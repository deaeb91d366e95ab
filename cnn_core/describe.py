"""Pictures in words: the text alternative of every picture the app shows, in numbers.

A student who cannot see a feature map hears what the picture shows: its size, its range
and where its extremes are; a kernel is read as its values; a classifier's answer as its
top classes with percentages. The numbers are the ones the picture was drawn from.
Rows and columns count from 0, as everywhere in the app.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


def number(value: float) -> str:
    """A value as the text says it: two decimals below 100, whole numbers above, two
    significant digits for a small value (which is not said as 0).

    >>> number(-0.934), number(12.0), number(1234.56), number(-0.00012), number(0.0)
    ('-0.93', '12', '1235', '-0.00012', '0')
    """
    value = float(value)
    if not math.isfinite(value):
        return (
            "not a number" if math.isnan(value) else ("infinity" if value > 0 else "minus infinity")
        )
    if 0 < abs(value) < 0.005:
        return f"{value:.2g}"
    if abs(value) >= 100 or float(value).is_integer():
        text = f"{value:.0f}"
    else:
        text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _where(index: int, width: int) -> str:
    row, column = divmod(int(index), width)
    return f"row {row}, column {column}"


def describe_map(values: np.ndarray, name: str = "Feature map") -> str:
    """A 2-D map: its size, its range, where it is strongest (largest magnitude) and,
    when it has both signs, where it is most negative and most positive.

    >>> m = np.zeros((170, 256), np.float32); m[125, 139] = 0.99; m[3, 7] = -0.93
    >>> for part in describe_map(m).split("; "):
    ...     print(part)
    Feature map, 170 x 256, from -0.93 to 0.99
    strongest response at row 125, column 139
    most negative at row 3, column 7
    """
    values = np.asarray(values)
    if values.ndim == 3 and values.shape[0] == 1:
        values = values[0]
    if values.ndim != 2:
        raise ValueError(f"values: expected a 2-D map; got shape {values.shape}")
    if not np.issubdtype(values.dtype, np.floating):
        values = values.astype(np.float64)
    height, width = values.shape
    head = f"{name}, {height} x {width}"
    if values.size == 0:
        return f"{head}, no finite values"
    if np.isfinite(values).all():  # one pass each, no copy: ~2 ms for 1024 x 1024
        lowest, highest = int(np.argmin(values)), int(np.argmax(values))
    else:  # NaN and infinities left out
        values = np.where(np.isfinite(values), values, np.nan)
        if np.isnan(values).all():
            return f"{head}, no finite values"
        lowest, highest = int(np.nanargmin(values)), int(np.nanargmax(values))
    low, high = float(values.flat[lowest]), float(values.flat[highest])
    if low == high:
        return f"{head}, every value {number(low)}"
    strongest, other = (highest, lowest) if abs(high) >= abs(low) else (lowest, highest)
    text = f"{head}, from {number(low)} to {number(high)}; strongest response at "
    text += _where(strongest, width)
    if low < 0 < high:
        sign = "negative" if strongest == highest else "positive"
        text += f"; most {sign} at {_where(other, width)}"
    return text


def describe_maps(maps: np.ndarray, name: str = "Feature maps") -> str:
    """A stack of 2-D maps ``(C, H, W)``: their number, size, overall range, and which
    map holds the strongest response.

    >>> describe_maps(np.stack([np.zeros((4, 5)), np.full((4, 5), -2.0)]))
    'Feature maps: 2 maps of 4 x 5, from -2 to 0; strongest response in map 1'
    """
    maps = np.asarray(maps, dtype=np.float64)
    if maps.ndim != 3:
        raise ValueError(f"maps: expected (C, H, W); got shape {maps.shape}")
    count, height, width = maps.shape
    head = f"{name}: {count} map{'s' if count != 1 else ''} of {height} x {width}"
    finite = np.where(np.isfinite(maps), maps, np.nan)
    if maps.size == 0 or np.all(np.isnan(finite)):
        return f"{head}, no finite values"
    low, high = float(np.nanmin(finite)), float(np.nanmax(finite))
    strongest = int(np.nanargmax(np.nanmax(np.abs(finite).reshape(count, -1), axis=1)))
    return f"{head}, from {number(low)} to {number(high)}; strongest response in map {strongest}"


def describe_image(image: np.ndarray, name: str = "Picture") -> str:
    """An image in [0, 1], gray ``(H, W)`` or colour ``(H, W, 3)`` (gray when its three
    channels are equal): size, kind, mean brightness.

    >>> describe_image(np.full((4, 6, 3), 0.5))
    'Picture, 4 x 6, gray, mean brightness 0.5 (0 black, 1 white)'
    >>> describe_image(np.dstack([np.ones((2, 2)), np.zeros((2, 2)), np.zeros((2, 2))]))
    'Picture, 2 x 2, colour, mean brightness 0.33 (0 black, 1 white)'
    """
    image = np.asarray(image, dtype=np.float64)
    if image.ndim not in (2, 3):
        raise ValueError(f"image: expected (H, W) or (H, W, 3); got shape {image.shape}")
    gray = image.ndim == 2 or bool(np.all(image[..., 1:] == image[..., :1]))
    kind = "gray" if gray else "colour"
    mean = float(np.nanmean(image)) if image.size else 0.0
    height, width = image.shape[:2]
    return f"{name}, {height} x {width}, {kind}, mean brightness {number(mean)} (0 black, 1 white)"


def describe_kernel(kernel: np.ndarray, name: str = "Kernel", most: int = 49) -> str:
    """A kernel read row by row; a kernel of more than ``most`` values by its range and sum.

    >>> describe_kernel(np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]))
    'Kernel, 3 x 3, rows: -1 0 1; -2 0 2; -1 0 1'
    """
    kernel = np.asarray(kernel, dtype=np.float64)
    if kernel.ndim != 2:
        raise ValueError(f"kernel: expected a 2-D kernel; got shape {kernel.shape}")
    height, width = kernel.shape
    head = f"{name}, {height} x {width}"
    if kernel.size > most:
        return (
            f"{head}, from {number(kernel.min())} to {number(kernel.max())}, "
            f"sum {number(kernel.sum())}"
        )
    rows = "; ".join(" ".join(number(v) for v in row) for row in kernel)
    return f"{head}, rows: {rows}"


def describe_probabilities(
    probabilities: Sequence[float], classes: Sequence[str] | None = None, top: int = 3
) -> str:
    """A classifier's answer: its ``top`` classes with their percentages, most likely first.

    >>> describe_probabilities([0.01, 0.9, 0.09], ["cat", "dog", "fox"], top=2)
    'Most likely: dog 90.0%, fox 9.0%'
    """
    probabilities = np.asarray(probabilities, dtype=np.float64).ravel()
    if classes is None:
        classes = [str(k) for k in range(probabilities.size)]
    if len(classes) != probabilities.size:
        raise ValueError(f"classes: {len(classes)} names for {probabilities.size} probabilities")
    order = np.argsort(-probabilities, kind="stable")[:top]
    parts = [f"{classes[k]} {100 * probabilities[k]:.1f}%" for k in order]
    return "Most likely: " + ", ".join(parts)


def describe_box(top: int, left: int, bottom: int, right: int, name: str = "Box") -> str:
    """A box of pixels, both ends included.

    >>> describe_box(2, 3, 6, 9, "Receptive field")
    'Receptive field: rows 2 to 6, columns 3 to 9 (5 x 7 pixels)'
    """
    return (
        f"{name}: rows {top} to {bottom}, columns {left} to {right} "
        f"({bottom - top + 1} x {right - left + 1} pixels)"
    )


def describe_curve(name: str, steps: Sequence[float], values: Sequence[float]) -> str:
    """A curve of a chart in words: where it starts and ends, its lowest and highest point.

    >>> describe_curve("loss", [0, 100, 200], [2.3, 0.41, 0.52])[:55]
    'loss, 3 points from step 0 to 200: first 2.3, last 0.52'
    """
    x = np.asarray(steps, dtype=np.float64).ravel()
    y = np.asarray(values, dtype=np.float64).ravel()
    if x.size != y.size:
        raise ValueError(f"steps: {x.size} for {y.size} values")
    if y.size == 0:
        return f"{name}: no points yet"
    if y.size == 1:
        return f"{name}: {number(y[0])} at step {number(x[0])}"
    if not np.isfinite(y).any():
        return f"{name}, {y.size} points: no finite value"
    low, high = int(np.nanargmin(y)), int(np.nanargmax(y))
    return (
        f"{name}, {y.size} points from step {number(x[0])} "
        f"to {number(x[-1])}: first {number(y[0])}, last {number(y[-1])}; "
        f"lowest {number(y[low])} at step {number(x[low])}, "
        f"highest {number(y[high])} at step {number(x[high])}"
    )


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _span(values: np.ndarray) -> str:
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return "no finite values"
    low, high = float(finite.min()), float(finite.max())
    return f"every value {number(low)}" if low == high else f"from {number(low)} to {number(high)}"


def describe_matrix(values: np.ndarray, name: str, *, rows: str, columns: str) -> str:
    """A matrix drawn as a heat map: its shape, what a row and a column are, its range,
    how many entries are not zero and how many distinct values those take.

    >>> text = describe_matrix(np.array([[2, 2, 0], [0, 2, 2]]), "M",
    ...                        rows="one per output", columns="one per input pixel")
    >>> print(text.replace("), ", "),\\n"))
    M, 2 x 3 (rows: one per output; columns: one per input pixel),
    from 0 to 2; 4 of 6 entries not zero, taking 1 distinct value
    """
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 2:
        raise ValueError(f"values: expected a 2-D matrix; got shape {values.shape}")
    height, width = values.shape
    nonzero = values[values != 0]
    return (
        f"{name}, {height} x {width} (rows: {rows}; columns: {columns}), {_span(values)}; "
        f"{nonzero.size:,} of {values.size:,} entries not zero, taking "
        f"{_plural(int(np.unique(nonzero).size), 'distinct value')}"
    )


def describe_volume(volume: np.ndarray, name: str, slice_name: str = "channel") -> str:
    """A volume ``(C, H, W)``: its shape and the range of each slice.

    >>> text = describe_volume(np.stack([np.zeros((2, 3)), np.ones((2, 3))]), "Input")
    >>> print(text.replace(": ", ":\\n"))
    Input, 2 x 2 x 3 (channels x height x width):
    channel 0 every value 0; channel 1 every value 1
    """
    volume = np.asarray(volume, dtype=np.float64)
    if volume.ndim != 3:
        raise ValueError(f"volume: expected (C, H, W); got shape {volume.shape}")
    count, height, width = volume.shape
    slices = "; ".join(f"{slice_name} {i} {_span(plane)}" for i, plane in enumerate(volume))
    return f"{name}, {count} x {height} x {width} ({slice_name}s x height x width): {slices}"


def describe_filters(filters: np.ndarray, name: str = "filter") -> str:
    """A bank of filters ``(F, C, kh, kw)``: their number, shape and the range of each.

    >>> text = describe_filters(np.stack([np.ones((1, 2, 2)), -np.ones((1, 2, 2))]))
    >>> print(text.replace(": ", ":\\n"))
    2 filters, each 1 x 2 x 2 (channels x rows x columns):
    filter 0 every value 1; filter 1 every value -1
    """
    filters = np.asarray(filters, dtype=np.float64)
    if filters.ndim != 4:
        raise ValueError(f"filters: expected (F, C, kh, kw); got shape {filters.shape}")
    count, channels, rows, cols = filters.shape
    each = "; ".join(f"{name} {i} {_span(bank)}" for i, bank in enumerate(filters))
    return (
        f"{_plural(count, name)}, each {channels} x {rows} x {cols} "
        f"(channels x rows x columns): {each}"
    )


def describe_confusion(confusion: np.ndarray, classes: Sequence[str], top: int = 3) -> str:
    """A confusion matrix (rows: the true class, columns: the answer): how many pictures,
    how many answered right (the accuracy as its fraction), and the ``top`` most frequent
    mistakes with their counts.

    >>> text = describe_confusion(np.array([[5, 1, 0], [3, 4, 0], [0, 0, 7]]), "abc")
    >>> print(text.replace("; ", ";\\n"))
    20 pictures: 16 answered right, 16 / 20 = 80.0%;
    most confused: true b answered a: 3 times, true a answered b: 1 time
    """
    confusion = np.asarray(confusion)
    if confusion.ndim != 2 or confusion.shape[0] != confusion.shape[1]:
        raise ValueError(f"confusion: expected a square matrix; got shape {confusion.shape}")
    if len(classes) != confusion.shape[0]:
        raise ValueError(f"classes: {len(classes)} names for {confusion.shape[0]} classes")
    total, right = int(confusion.sum()), int(np.trace(confusion))
    if total == 0:
        return "No pictures counted"
    text = f"{_plural(total, 'picture')}: {right:,} answered right, "
    text += f"{right} / {total} = {100 * right / total:.1f}%"
    mistakes = confusion.astype(np.int64).copy()
    np.fill_diagonal(mistakes, 0)
    order = np.argsort(-mistakes, axis=None, kind="stable")[:top]
    pairs = [divmod(int(k), confusion.shape[0]) for k in order]
    said = [
        f"true {classes[t]} answered {classes[a]}: {_plural(int(mistakes[t, a]), 'time')}"
        for t, a in pairs
        if mistakes[t, a] > 0
    ]
    return text + ("; most confused: " + ", ".join(said) if said else "; no picture confused")
