"""Sample data for the scale / zero point explorer: shapes that real tensors take, with fixed seeds."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import torch

SYNTHETIC = ("normal", "uniform", "relu", "laplace", "bimodal", "outliers")
# the real tensors of the tiny CNN: weights of each layer, and the ReLU outputs on held-out digits
CNN = ("cnn_conv1_w", "cnn_conv2_w", "cnn_fc_w", "cnn_conv1_a", "cnn_conv2_a")
DISTRIBUTIONS = SYNTHETIC + CNN


def sample(name: str, n: int = 20_000, seed: int = 0) -> np.ndarray:
    """n float32 values drawn from the named distribution (unknown names fall back to 'normal')."""
    if name in CNN:
        return _cnn_values(name, n, seed).copy()
    rng = np.random.default_rng(seed)
    if name == "uniform":  # positive-only data, e.g. a sensor reading: 1..5
        x = rng.uniform(1.0, 5.0, n)
    elif name == "relu":  # a ReLU's output: a spike of exact zeros and a right tail
        x = np.maximum(0.0, rng.normal(1.0, 2.0, n))
    elif name == "laplace":  # trained weights: peaked at 0, heavier tails than a normal
        x = rng.laplace(0.0, 0.15, n)
    elif name == "bimodal":  # two clusters: the zero point lands between them, in a gap
        k = rng.random(n) < 0.6
        x = np.where(k, rng.normal(-1.0, 0.4, n), rng.normal(3.0, 0.7, n))
    elif name == "outliers":  # well-behaved data plus 0.2 % huge values that stretch a min-max range
        x = rng.normal(0.0, 0.5, n)
        m = rng.random(n) < 0.002
        x[m] = rng.choice([-1.0, 1.0], m.sum()) * rng.uniform(6.0, 12.0, m.sum())
    else:  # normal, a little off centre so the mean is not 0
        x = rng.normal(0.5, 1.2, n)
    return x.astype(np.float32)


@dataclass(frozen=True)
class Summary:
    """Mean, median, min and max of a sample: to set beside the zero point, which is not the centre of the data."""

    mean: float
    median: float
    min: float
    max: float


def summary(x: np.ndarray) -> Summary:
    """The sample's mean, median, min and max."""
    return Summary(float(np.mean(x)), float(np.median(x)), float(np.min(x)), float(np.max(x)))


@cache
def cnn_model() -> torch.nn.Module:
    """The shipped float32 tiny CNN, whose real tensors the explorer and the STE lesson show.

    A missing or corrupt model file is an error, never a silent stand-in with random weights.
    """
    from qlib.pretrained import load

    return load("fp32").eval()


@cache
def _cnn_values(name: str, n: int, seed: int) -> np.ndarray:
    """A layer's weights, or its ReLU outputs on 256 validation digits; at most n of them, a fixed subset."""
    import torch.nn.functional as F

    from qlib.data import load_digits

    model = cnn_model()
    layer, kind = name.split("_")[1:]
    if kind == "w":
        v = getattr(model, layer).weight.detach().flatten()
    else:
        x = load_digits().val[0][:256]
        with torch.no_grad():
            a = F.relu(model.conv1(x))
            if layer == "conv2":
                a = F.relu(model.conv2(a))
        v = a.flatten()
    v = v.numpy().astype(np.float32)
    if v.size > n:
        v = v[np.random.default_rng(seed).choice(v.size, n, replace=False)]
    v.setflags(write=False)
    return v
