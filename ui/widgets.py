"""Shared, read-only resources of the lesson pages: the shipped models and the data set, cached once per server.

Kept in a module (not in the page scripts) so the tests can reach the very objects the pages use and check
that no session ever changes them.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from qlib import pretrained
from qlib.data import Splits, load_digits


@st.cache_resource(show_spinner=False)
def shipped_model(name: str):
    """A shipped model from assets/, shared by every session: read it, copy it, never train or calibrate it."""
    return pretrained.load(name)


@st.cache_resource(show_spinner=False)
def digit_splits() -> Splits:
    """The digits data set's fixed splits, shared read-only (training indexes them, never writes)."""
    return load_digits()


@st.cache_resource(show_spinner=False)
def test_digits() -> tuple[np.ndarray, np.ndarray]:
    """The test split as numpy arrays (x: N×1×8×8 in [-1, 1], y: labels), shared: the pages only index them."""
    x, y = digit_splits().test
    return x.numpy(), y.numpy()


@st.cache_resource(show_spinner=False)
def shipped_fake_quant(name: str):
    """The fake-quantized float model a shipped quantized model was converted from (read-only, for histograms)."""
    return pretrained.load_fake_quant(name)


def quantized_model_names() -> list[str]:
    """The shipped quantized models, in the order the model pickers list them (QAT first, most bits first)."""
    return pretrained.quantized_names(pretrained.available())


def shipped_qat_name() -> str:
    """The shipped QAT model the QAT page shows before the session has trained one: 8 bits if shipped."""
    qat = [n for n in pretrained.available() if n.startswith("qat-")]
    return "qat-w8a8" if "qat-w8a8" in qat else qat[0]
