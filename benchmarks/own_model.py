"""A user's ResNet-18 opened from ONNX against torchvision's, in the same process: a photo
to its top-5 and stage maps (the first stage's among them), each run the way its page
runs it, on one thread as the server does.

- torchvision: ``networks.preprocess`` (the weights' resize, crop, normalise) and
  ``network_inference.predict`` (the Real networks page).
- ONNX: torchvision's ResNet-18 (random weights) exported to ONNX bytes in memory,
  opened with ``open_model``; per photo ``model_picture``, ``to_batch`` and
  ``run_model`` on the stages ``pick_stages`` chose (the Your model page).

Budget: the ONNX model's photo-to-answer time at most 1.2 times torchvision's (the same
budget, with room for timing noise on a shared machine). Also shown, not budgeted: the
forward pass alone, and opening the file (converting the graph). Results are saved to
``benchmarks/results/own-model-<date>.json``.

    python -m benchmarks own_model
"""

from __future__ import annotations

import io
import time
import warnings
from pathlib import Path

from .saved import save_results
from .timing import budget_rows, compare, table

BUDGET = 1.2
REPEATS = 25
PHOTO = Path(__file__).resolve().parents[1] / "assets" / "samples" / "cat.jpg"


def _onnx_bytes(model) -> bytes:
    import torch

    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation notice
        torch.onnx.export(model, torch.zeros(1, 3, 224, 224), buffer, dynamo=False)
    return buffer.getvalue()


def measure() -> dict:
    import numpy as np
    import torch
    import torchvision

    from cnn_core import load_image
    from cnn_core.model_input import IMAGENET_MEAN, IMAGENET_STD, model_picture
    from cnn_core.nn.model_run import run_model, to_batch
    from cnn_core.nn.model_stages import pick_stages
    from cnn_core.nn.network_inference import predict
    from cnn_core.nn.networks import NETWORKS, preprocess
    from cnn_core.nn.open_model import open_model

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        torch.manual_seed(0)
        reference = torchvision.models.resnet18(weights=None).eval()
        data = _onnx_bytes(reference)
        started = time.perf_counter()
        opened = open_model(data)
        stages = pick_stages(opened.module, opened.layers, (3, 224, 224))
        opening = time.perf_counter() - started
        photo = load_image(PHOTO)
        first_tv = next(iter(NETWORKS["resnet18"].stages))

        def torchvision_page():
            prediction = predict("resnet18", reference, preprocess("resnet18", photo))
            return prediction.classes, prediction.stages[first_tv]

        def onnx_page():
            planes = model_picture(photo, opened.input_size, opened.channels)
            answer, maps = run_model(
                opened.module, stages, to_batch(planes, IMAGENET_MEAN, IMAGENET_STD)
            )
            return answer.indices, maps[next(iter(stages))]

        # On the same input both give the same top-5 and first-stage maps (the ONNX graph
        # folds each batch norm into its convolution: float rounding differs slightly).
        batch = preprocess("resnet18", photo)
        expected = predict("resnet18", reference, batch)
        answer, maps = run_model(opened.module, stages, batch)
        names = NETWORKS["resnet18"].weights.meta["categories"]
        assert [names[i] for i in answer.indices] == [c for c, _ in expected.classes]
        assert next(iter(stages)) == first_tv, (stages, first_tv)
        np.testing.assert_allclose(maps[first_tv], expected.stages[first_tv], atol=1e-4)
        with torch.no_grad():
            times = compare(
                {
                    "photo to top-5 and maps: torchvision": torchvision_page,
                    "photo to top-5 and maps: ONNX": onnx_page,
                    "forward pass: torchvision": lambda: reference(batch),
                    "forward pass: ONNX": lambda: opened.module(batch),
                },
                repeats=REPEATS,
            )
    finally:
        torch.set_num_threads(threads)
    return {
        "times_ms": {name: seconds * 1e3 for name, seconds in times.items()},
        "opening_ms": opening * 1e3,
        "onnx_bytes": len(data),
        "stages": stages,
        "photo": PHOTO.name,
        "photo_shape": list(photo.shape),
        "repeats": REPEATS,
        "threads": 1,
    }


def run() -> bool:
    result = measure()
    ms = result["times_ms"]
    rows, within = budget_rows(
        {
            "photo to top-5 and stage maps": (
                ms["photo to top-5 and maps: ONNX"],
                ms["photo to top-5 and maps: torchvision"],
                BUDGET,
            )
        },
        "{:.1f}",
    )
    forward = ms["forward pass: ONNX"] / ms["forward pass: torchvision"]
    rows.append(
        [
            "forward pass alone",
            f"{ms['forward pass: ONNX']:.1f}",
            f"{ms['forward pass: torchvision']:.1f}",
            f"{forward:.2f}",
            "(not budgeted)",
        ]
    )
    print("A user's ResNet-18 from ONNX against torchvision's, one thread (median ms)")
    print(table(rows, ["case", "ONNX", "torchvision", "ratio", "budget"]))
    print(
        f"Opening the {result['onnx_bytes'] / 2**20:.1f} MB ONNX file (check, convert, "
        f"pick stages): {result['opening_ms']:.0f} ms, once per upload."
    )
    path = save_results("own-model", {**result, "within_budget": within, "budget": BUDGET})
    print(f"saved {path.relative_to(path.parents[2])}")
    return within
