"""What every benchmark shares: summary statistics of timings, budgets with PASS / MISS, the machine they ran on."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def summary(seconds: list[float]) -> dict:
    """Median, p95 (nearest rank), min and max of timings in seconds, reported in milliseconds."""
    if not seconds:
        raise ValueError("no timings to summarise")
    ms = sorted(1000.0 * s for s in seconds)
    p95 = ms[min(len(ms) - 1, max(0, -(-95 * len(ms) // 100) - 1))]  # nearest rank: ceil(0.95 n)-th value
    return {
        "n": len(ms),
        "median_ms": statistics.median(ms),
        "p95_ms": p95,
        "min_ms": ms[0],
        "max_ms": ms[-1],
    }


def timed(fn: Callable[[], object], repeat: int, warmup: int = 1) -> list[float]:
    """Wall-clock seconds of `repeat` calls of fn, after `warmup` calls that are not counted."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def budget(target: str, measured: float, limit: float, unit: str) -> dict:
    """One budget line: what, the figure measured, the limit it must not exceed, and PASS / MISS."""
    return {
        "target": target,
        "measured": measured,
        "limit": limit,
        "unit": unit,
        "verdict": "PASS" if measured <= limit else "MISS",
    }


def machine() -> dict:
    """Where the figures come from: CPUs, load average, Python and library versions."""
    import plotly
    import streamlit
    import torch

    return {
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "torch": torch.__version__,
        "streamlit": streamlit.__version__,
        "plotly": plotly.__version__,
        "platform": platform.platform(),
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }
