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
    from lessons.pytorch_and_tensorflow.runtimes import AgreementRow


def _pair(q: ScaleZP, digits: int = 8) -> str:
    """A cell 'scale / zero point'."""
    return f"{q.scale:.{digits}g} / {q.zero_point}"


def _vs_qlib(cell: str, ok: bool, tr: Tr) -> str:
    """A PyTorch cell with its match to qlib's, in words (an emoji may have no font on a classroom PC); in the
    cell, not a column of its own, so the table has four columns and fits a phone without breaking a number."""
    return tr("cell.same" if ok else "cell.differs", cell=cell)


CALIBRATION_COLUMNS = ("col.tensor", "col.qlib", "col.full", "col.x86")


def calibration_table(c: CalibrationCompare, tr: Tr) -> pd.DataFrame:
    """One row per activation and per weight, indexed by the tensor's label, for a static table (headers wrap)."""
    rows = [
        [
            tr("tensor.act", name=a.name),
            _pair(a.qlib),
            _vs_qlib(_pair(a.full), a.same_full, tr),
            _vs_qlib(_pair(a.x86), a.same_x86, tr),
        ]
        for a in c.acts
    ]
    for w in c.weights:  # zero points 0; PyTorch's weight scales do not depend on the activation codes
        theirs = _vs_qlib(f"{w.torch_scale:.8g} / 0", w.same, tr)
        rows.append(
            [tr("tensor.weight", name=w.name, n=w.channels), f"{w.qlib_scale:.8g} / 0", theirs, theirs]
        )
    lo, hi = c.x86_codes
    headers = [tr(k, lo=lo, hi=hi) for k in CALIBRATION_COLUMNS]
    return pd.DataFrame(rows, columns=headers).set_index(headers[0])


def qat_table(rows: tuple[QatRow, ...], tr: Tr) -> pd.DataFrame:
    """PyTorch's own QAT beside qlib's, one row per activation (the index), for a static table that wraps."""
    cells = [
        [tr("tensor.act", name=r.name), _pair(r.qlib, 6), _pair(r.torch, 6), f"{r.ratio:.2f}"] for r in rows
    ]
    headers = [tr(k) for k in ("col.tensor", "col.qlib_qat", "col.torch_qat", "col.ratio")]
    return pd.DataFrame(cells, columns=headers).set_index(headers[0])


def scheme_table(tr: Tr, inputs: InputConventions, x86_codes: tuple[int, int]) -> pd.DataFrame:
    """PyTorch / qlib against TFLite, one row per aspect (the index), for a static table whose long cells wrap."""
    fmt = {
        "x86_lo": x86_codes[0],
        "x86_hi": x86_codes[1],
        "torch_zp": inputs.torch.zero_point,
        "x86_zp": inputs.x86.zero_point,
        "x86_steps": x86_codes[1] - x86_codes[0],
        "tfl_zp": f"{inputs.tflite.zero_point}".replace("-", "−"),  # a minus sign, as in the other cells
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


def runtime_table(rows: tuple[AgreementRow, ...], layers: tuple[str, ...], tr: Tr) -> pd.DataFrame:
    """One row per engine (the index), one column per layer in `layers`: codes that differ from qlib fixed (and
    the largest difference), then top-1 agreement. Short headers and cells, so that it fits a phone's width."""
    columns = [rows[0].layers.index(n) for n in layers]

    def cell(d: int, m: int) -> str:
        return tr("rt.cell", d=f"{d:,}", m=m) if d else "0"

    data = {
        tr("rt.input") if n == "input" else n: [cell(r.differ[i], r.max_diff[i]) for r in rows]
        for n, i in zip(layers, columns, strict=True)
    }
    data[tr("rt.col.top1")] = [f"{r.top1_same} / {r.images}" for r in rows]
    index = pd.Index([tr(f"rt.engine.{r.engine}") for r in rows], name=tr("rt.col.engine"))
    return pd.DataFrame(data, index=index)


def requant_table(tr: Tr) -> pd.DataFrame:
    """How each engine requantizes, from `qlib.export.runtimes.REQUANTIZATION` (what the tests hold the runtimes
    to): multiplier, where the bias goes, how ties round; the sources are in the sentences below it."""
    from qlib.export.runtimes import ENGINES, REQUANTIZATION

    rows = [REQUANTIZATION[e] for e in ENGINES]
    data = {
        tr("rt.col.multiplier"): [tr(f"rt.mult.{r.multiplier}") for r in rows],
        tr("rt.col.bias"): [tr(f"rt.bias.{r.bias}") for r in rows],
        tr("rt.col.ties"): [tr(f"rt.ties.{r.ties}") for r in rows],
    }
    index = pd.Index([tr(f"rt.engine.{e}") for e in ENGINES], name=tr("rt.col.engine"))
    return pd.DataFrame(data, index=index)
