"""Tables of the PyTorch & TensorFlow page: rows of translated cells built from the lesson's typed results.

`tr` is the page's translator (`tr(key, **fmt) -> str`), so every header and cell is in the page's language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from lessons.plot import Tr
from lessons.pytorch_and_tensorflow.tf_code import SCHEME_ROWS

if TYPE_CHECKING:  # the lesson's results (importing it at run time would load torch)
    from lessons.pytorch_and_tensorflow.lesson import CalibrationCompare, InputConventions, QatRow, ScaleZP


def _pair(q: ScaleZP, digits: int = 8) -> str:
    """A cell 'scale / zero point'."""
    return f"{q.scale:.{digits}g} / {q.zero_point}"


def _same(ok: bool, tr: Tr) -> str:
    """A match mark, in words (an emoji may have no font on a classroom PC)."""
    return tr("same") if ok else tr("differs")


def calibration_table(c: CalibrationCompare, tr: Tr) -> list[dict[str, str]]:
    """One row per activation and per weight; the hidden `id` column ("act.conv1") lets tests find a row."""
    lo, hi = c.x86_codes
    rows = [
        {
            tr("col.tensor"): tr("tensor.act", name=a.name),
            tr("col.qlib"): _pair(a.qlib),
            tr("col.full"): _pair(a.full),
            tr("col.same_full"): _same(a.same_full, tr),
            tr("col.x86", lo=lo, hi=hi): _pair(a.x86),
            tr("col.same_x86"): _same(a.same_x86, tr),
            "id": f"act.{a.name}",
        }
        for a in c.acts
    ]
    rows += [
        {
            tr("col.tensor"): tr("tensor.weight", name=w.name, n=w.channels),
            tr("col.qlib"): f"{w.qlib_scale:.8g} / 0",
            tr("col.full"): f"{w.torch_scale:.8g} / 0",
            tr("col.same_full"): _same(w.same, tr),
            tr("col.x86", lo=lo, hi=hi): f"{w.torch_scale:.8g} / 0",
            tr("col.same_x86"): _same(w.same, tr),
            "id": f"weight.{w.name}",
        }
        for w in c.weights
    ]
    return rows


def qat_table(rows: tuple[QatRow, ...], tr: Tr) -> list[dict[str, str]]:
    """PyTorch's own QAT beside qlib's, one row per activation."""
    return [
        {
            tr("col.tensor"): tr("tensor.act", name=r.name),
            tr("col.qlib_qat"): _pair(r.qlib, 6),
            tr("col.torch_qat"): _pair(r.torch, 6),
            tr("col.ratio"): f"{r.ratio:.2f}",
        }
        for r in rows
    ]


def scheme_table(tr: Tr, inputs: InputConventions, x86_codes: tuple[int, int]) -> pd.DataFrame:
    """PyTorch / qlib against TFLite, one row per aspect (the index), for a static table whose long cells wrap."""
    fmt = {
        "x86_lo": x86_codes[0],
        "x86_hi": x86_codes[1],
        "torch_zp": inputs.torch.zero_point,
        "tfl_zp": inputs.tflite.zero_point,
        "tfl_u8": inputs.tflite_as_uint8,
        "old_scale": f"1/{round(1 / inputs.toco_2018.scale)}",
        "old_zp": inputs.toco_2018.zero_point,
    }
    columns = {
        tr("col.aspect"): [tr(f"scheme.{k}") for k in SCHEME_ROWS],
        tr("col.torch_qlib"): [tr(f"scheme.{k}.torch", **fmt) for k in SCHEME_ROWS],
        tr("col.tflite"): [tr(f"scheme.{k}.tflite", **fmt) for k in SCHEME_ROWS],
    }
    return pd.DataFrame(columns).set_index(tr("col.aspect"))
