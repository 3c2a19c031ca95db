"""Session state that belongs to no widget: what one page hands to another, and what a page keeps between reruns.

Streamlit drops a page's widget values when the person moves to another page; plain session keys stay for the
whole visit. Each such key is named here once and read or written only through these accessors, so a page
never touches `st.session_state` by a string of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import streamlit as st

if TYPE_CHECKING:
    from lessons.qat_training.lesson import Runs, Sweep

GIVEN = "given_digit"  # the digit a person gave on the Predict page (GivenDigit), for the integer page
QAT_RUNS = "qat_runs"  # the QAT page: this session's own fp32 / PTQ / QAT results (lessons.qat_training Runs)
QAT_SWEEP = "qat_sweep"  # the QAT page: the last bit-width sweep (lessons.qat_training Sweep)
CANVAS = (
    "predict_canvas_generation"  # the Predict page: how many times its drawing was cleared (its canvas key)
)


@dataclass(frozen=True)
class GivenDigit:
    """A digit a person gave on the Predict page, as the model's 8×8 input, and where it came from."""

    x: np.ndarray  # 8×8 float32 in [-1, 1], as qlib.data.to_model_input makes it
    source: str  # "upload", "camera" or "draw" (the Predict page's source ids)


def give_digit(x: np.ndarray, source: str) -> None:
    """The Predict page hands its digit on (the integer page takes it apart): a copy of it."""
    st.session_state[GIVEN] = GivenDigit(np.array(x, dtype=np.float32).reshape(8, 8), source)


def given_digit() -> GivenDigit | None:
    """The digit last given on the Predict page in this session, if any."""
    given = st.session_state.get(GIVEN)
    return given if isinstance(given, GivenDigit) else None


def qat_runs() -> Runs:
    """This session's QAT-page results (empty until a button is pressed)."""
    from lessons.qat_training.lesson import Runs

    runs = st.session_state.get(QAT_RUNS)
    return runs if isinstance(runs, Runs) else Runs()


def keep_qat_runs(runs: Runs) -> None:
    """Store the QAT page's results for the rest of the visit."""
    st.session_state[QAT_RUNS] = runs


def qat_sweep() -> Sweep | None:
    """The QAT page's last bit-width sweep in this session, if any."""
    return st.session_state.get(QAT_SWEEP)


def keep_qat_sweep(sweep: Sweep) -> None:
    """Store the QAT page's sweep for the rest of the visit."""
    st.session_state[QAT_SWEEP] = sweep


QAT_JOB = "qat_job"  # the QAT page: this session's latest Train press in the pool (ui.training.TrainRun)
QAT_SWEEP_JOB = "qat_sweep_job"  # the QAT page: its latest sweep in the pool (ui.training.SweepRun)
TRAIN_OWNER = "train_owner"  # this session's name as the owner of its training-pool jobs (ui.training)


def qat_job():
    """The QAT page's latest Train press in this session (ui.training.TrainRun), if any."""
    return st.session_state.get(QAT_JOB)


def keep_qat_job(run) -> None:
    """Remember the QAT page's latest Train press (it replaces the one before)."""
    st.session_state[QAT_JOB] = run


def qat_sweep_job():
    """The QAT page's latest sweep press in this session (ui.training.SweepRun), if any."""
    return st.session_state.get(QAT_SWEEP_JOB)


def keep_qat_sweep_job(run) -> None:
    """Remember the QAT page's latest sweep press (it replaces the one before, not the Train press)."""
    st.session_state[QAT_SWEEP_JOB] = run


def train_owner(session_id: str | None) -> tuple[str | None, str]:
    """This session's owner name for the training pool: its session id and a token of its own (made once).

    The token tells sessions apart where the id does not (AppTest gives every session the same id)."""
    if TRAIN_OWNER not in st.session_state:
        import uuid

        st.session_state[TRAIN_OWNER] = (session_id, uuid.uuid4().hex)
    return st.session_state[TRAIN_OWNER]


def sweep_owner(session_id: str | None) -> tuple[str | None, str, str]:
    """This session's owner name for its sweeps: apart from `train_owner`'s, so a sweep press replaces only the
    session's older sweep and a Train press only its older Train run."""
    return (*train_owner(session_id), "sweep")


def canvas_key() -> str:
    """The Predict page's drawing canvas's widget key: a new one after each clear, so the canvas starts empty."""
    return f"predict_canvas_{st.session_state.get(CANVAS, 0)}"


def clear_canvas() -> None:
    """Button callback: the next run draws a new, empty canvas."""
    st.session_state[CANVAS] = st.session_state.get(CANVAS, 0) + 1
