"""Sample data for the scale / zero point explorer: shapes that real tensors take, with fixed seeds."""

from __future__ import annotations

import numpy as np

# name -> one-line description of the generator (the page shows a translated version)
DISTRIBUTIONS = ("normal", "uniform", "relu", "laplace", "bimodal", "outliers")


def sample(name: str, n: int = 20_000, seed: int = 0) -> np.ndarray:
    """n float32 values drawn from the named distribution (unknown names fall back to 'normal')."""
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


def summary(x: np.ndarray) -> dict[str, float]:
    """Mean, median, min and max: to set beside the zero point, which is not the centre of the data."""
    return {"mean": float(np.mean(x)), "median": float(np.median(x)), "min": float(np.min(x)), "max": float(np.max(x))}
