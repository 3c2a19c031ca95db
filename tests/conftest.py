"""Fixtures shared by the whole suite."""

from __future__ import annotations

import pytest
import torch
from hypothesis import settings

# No time limit per example: these machines are shared and busy (a 200 ms deadline failed a pure formula test
# at load 8); hypothesis checks values, the benchmarks measure speed.
settings.register_profile("shared-machine", deadline=None)
settings.load_profile("shared-machine")


@pytest.fixture(scope="module")
def one_thread():
    """Tiny int64 matmuls and convolutions: one thread is much faster than two on a busy 2-core machine."""
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


@pytest.fixture(scope="session", autouse=True)
def page8_warmers_finish():
    """Let page 8's background warm-up finish before Python exits: torch killed mid-run aborts the process
    ("terminate called without an active exception", exit 134) after a short run that opened page 8."""
    import threading

    yield
    for thread in threading.enumerate():
        if thread.name == "why-defaults-warm":
            thread.join()
