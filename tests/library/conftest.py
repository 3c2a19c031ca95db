"""Fixtures the library tests of the MobileNet-style net share."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def digits():
    """The digits splits (fresh copies per module)."""
    from qlib.data import load_digits

    return load_digits()


@pytest.fixture(scope="module")
def fp32():
    """The shipped MobileNet-style fp32 model (its BatchNorm statistics from 40 epochs); don't modify it."""
    from qlib import pretrained

    return pretrained.load("mobile/fp32")
