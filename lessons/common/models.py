"""How a shipped quantized model is named on the pages: one label for the Predict and the integer page."""

from __future__ import annotations

from lessons.plot import Tr
from qlib.pretrained import parse_name


def model_label(name: str, tr: Tr) -> str:
    """'qat-w4a8' -> 'QAT · 4-bit weights, 8-bit activations' in the translator's language (else the name)."""
    parsed = parse_name(name)
    if parsed is None:
        return name
    method, w, a = parsed
    return tr("common.model_label", method=tr(f"common.method.{method}"), w=w, a=a)
