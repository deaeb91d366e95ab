"""A trained small CNN as an ONNX file, built in memory for a download: the network's graph
and weights, and in its ``metadata_props`` the class names, the input size, colour or
gray, the normalisation and the model card (``cnn_core.nn.model_card.model_metadata``),
which ``cnn_core.open_model`` reads back. Any ONNX runtime runs the file; the batch size
is left free."""

from __future__ import annotations

import io
import threading
import warnings

import torch

from .digit_net import DigitNet
from .model_card import model_metadata

OPSET = 17  # supported by onnxruntime 1.14 and later, and by cnn_core.nn.onnx
INPUT_NAME, OUTPUT_NAME = "image", "scores"
# torch's TorchScript-based exporter keeps its state in module globals: one export at a
# time, whichever session asks.
_EXPORTING = threading.Lock()


def to_onnx(model: DigitNet, card: dict | None = None) -> bytes:
    """``model`` as the bytes of an ``.onnx`` file taking ``(batch, C, side, side)``
    pictures in [0, 1] and giving one score per class (before softmax).

    >>> from cnn_core.nn.digit_net import DigitNetConfig
    >>> data = to_onnx(DigitNet(DigitNetConfig(classes=3, in_channels=3, side=16)))
    >>> import onnx; onnx.load_from_string(data).graph.input[0].name
    'image'
    """
    import onnx

    config = model.config
    example = torch.zeros(1, config.in_channels, config.side, config.side)
    buffer = io.BytesIO()
    with _EXPORTING, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation notice
        was_training = model.training
        try:
            torch.onnx.export(
                model.eval(),
                example,
                buffer,
                dynamo=False,
                opset_version=OPSET,
                input_names=[INPUT_NAME],
                output_names=[OUTPUT_NAME],
                dynamic_axes={INPUT_NAME: {0: "batch"}, OUTPUT_NAME: {0: "batch"}},
            )
        finally:
            model.train(was_training)
    proto = onnx.load_from_string(buffer.getvalue())
    proto.producer_name, proto.producer_version = "ConvScope", ""
    if card and card.get("name"):
        proto.doc_string = card["name"]
    for key, value in model_metadata(config, card).items():
        proto.metadata_props.add(key=key, value=value)
    return proto.SerializeToString()
