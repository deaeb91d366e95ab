"""ONNX files rebuilt as PyTorch modules: ``graph`` walks the graph, ``operators`` maps
each operator type to its builder in one of four families (``windows``, ``dense``,
``arithmetic``, ``shapes``). ``open_model`` is the way in for a user's file; this package
trusts that the file was already checked (``onnx.checker``, the limits).
"""

from .graph import onnx_to_torch, unsupported_operators
from .operators import BUILDERS

__all__ = ["BUILDERS", "onnx_to_torch", "unsupported_operators"]
