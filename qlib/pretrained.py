"""The shipped models in assets/models (written by `python -m qlib.train`): load them in milliseconds.

`load("fp32")` is a TinyCNN in eval mode; `load("qat-w8a8")` (any name in `available()`) is a `qlib.int8.Int8Model`.
Each network has its own zoo (`ZOOS`): the tiny CNN's files lie in assets/models/ under their names ("fp32",
"qat-w8a8", ...), the MobileNet-style net's in assets/models/mobile/, named "mobile/fp32", "mobile/ptq-w4a8",
"mobile/ptq-w4a8-per-tensor", ... (the name is the path under assets/models). `available()` and `metrics()`
are the tiny CNN's, as before; `available("mobile_cnn")` and `metrics("mobile_cnn")` the other zoo's; `load`
takes any name of any zoo.
The files are read once (functools.lru_cache) and every `load` builds a NEW model from copies of the cached
tensors, so a caller that trains or edits what it got cannot change what the next caller gets.
Files hold only tensors, numbers and strings: they load with `torch.load(weights_only=True)`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import torch
from torch import nn

from qlib.int8 import Int8Model
from qlib.layers import Int8Layer
from qlib.model import Net, TinyCNN
from qlib.qat import QATNet, QConfig, prepare_qat, to_int8_layers
from qlib.quant import QParams
from qlib.spec import MOBILE_CNN, SPECS, TINY_CNN, NetSpec

MODELS_DIR = Path(__file__).resolve().parent.parent / "assets" / "models"
FORMAT = 1


@dataclass(frozen=True)
class Zoo:
    """One network's shipped models: the spec, and the prefix of their names (= their folder under MODELS_DIR)."""

    spec: NetSpec
    prefix: str  # "" for the tiny CNN (its names came first), "mobile/" for the MobileNet-style net

    @property
    def dir(self) -> Path:
        return MODELS_DIR / self.prefix if self.prefix else MODELS_DIR

    @property
    def fp32_name(self) -> str:
        return f"{self.prefix}fp32"


ZOOS = {zoo.spec.name: zoo for zoo in (Zoo(TINY_CNN, ""), Zoo(MOBILE_CNN, "mobile/"))}


def zoo_of(name: str) -> Zoo:
    """The zoo a model name belongs to: the one whose prefix it starts with (the tiny CNN's has none)."""
    return next((z for z in ZOOS.values() if z.prefix and name.startswith(z.prefix)), ZOOS[TINY_CNN.name])


def _zoo(net: str) -> Zoo:
    if net not in ZOOS:
        raise KeyError(f"no zoo for network {net!r}; networks with shipped models: {', '.join(ZOOS)}")
    return ZOOS[net]


def _qp_dict(qp: QParams) -> dict:
    return {
        "scale": qp.scale.clone(),
        "zero_point": qp.zero_point.clone(),
        "qmin": qp.qmin,
        "qmax": qp.qmax,
        "axis": qp.axis,
    }


def _qp(d: dict) -> QParams:
    return QParams(d["scale"].clone(), d["zero_point"].clone(), d["qmin"], d["qmax"], d["axis"])


def save_quantized(model: QATNet, path: Path | str, name: str) -> None:
    """Write the Int8Layer fields, plus the float weights and frozen qparams of the fake-quantized model."""
    model.freeze()
    layers = [dict(layer.__dict__) for layer in to_int8_layers(model)]
    torch.save(
        {
            "format": FORMAT,
            "name": name,
            "spec": model.spec.name,
            "qconfig": model.qconfig.as_dict(),
            "layers": layers,
            "float_state": model.float_state_dict(),
            "act_qparams": {k: _qp_dict(fq.qp) for k, fq in model.act_fq.items()},
            "w_qparams": {k: _qp_dict(fq.qp) for k, fq in model.w_fq.items()},
        },
        path,
    )


@cache
def _read(name: str) -> dict:
    """The file's contents, read once (never handed out: load() copies)."""
    names = available(zoo_of(name).spec.name)
    if name not in names:
        raise KeyError(f"no shipped model {name!r}; available: {', '.join(names)}")
    return torch.load(MODELS_DIR / f"{name}.pt", weights_only=True, map_location="cpu")


def _copy(v):
    return v.clone() if torch.is_tensor(v) else v


def load(name: str) -> nn.Module | Int8Model:
    """A fresh copy of a shipped model: "fp32" → TinyCNN, "mobile/fp32" → Net(MOBILE_CNN) (eval mode, with
    its BatchNorm), otherwise → Int8Model (fixed-point)."""
    blob, zoo = _read(name), zoo_of(name)
    if name == zoo.fp32_name:
        model = TinyCNN() if zoo.spec is TINY_CNN else Net(zoo.spec)
        model.load_state_dict({k: v.clone() for k, v in blob.items()})
        return model.eval()
    layers = [Int8Layer(**{k: _copy(v) for k, v in d.items()}) for d in blob["layers"]]
    return Int8Model(layers, requant="fixed", names=list(_spec(blob).names))


def load_layers(name: str) -> list[Int8Layer]:
    """The Int8Layers of a quantized model (copies), e.g. for Int8Model(layers, requant="float")."""
    return load(name).layers


def _spec(blob: dict):
    """The network a quantized file holds (files written before specs had names hold the tiny CNN)."""
    return SPECS[blob.get("spec", TINY_CNN.name)]


def load_fake_quant(name: str) -> QATNet:
    """The fake-quantized float model a quantized file was converted from (eval mode, observers frozen)."""
    blob = _read(name)
    if name == zoo_of(name).fp32_name:
        raise ValueError(f"{name} has no fake-quantized form")
    fp = Net(_spec(blob))
    fp.load_state_dict({k: v.clone() for k, v in blob["float_state"].items()})
    model = prepare_qat(fp, QConfig(**blob["qconfig"])).eval()
    for k, d in blob["act_qparams"].items():
        model.act_fq[k].qp, model.act_fq[k].frozen = _qp(d), True
    for k, d in blob["w_qparams"].items():
        model.w_fq[k].qp, model.w_fq[k].frozen = _qp(d), True
    return model


def qconfig(name: str) -> QConfig | None:
    """The QConfig a shipped model was made with (None for fp32)."""
    return None if name == zoo_of(name).fp32_name else QConfig(**_read(name)["qconfig"])


def available(net: str = TINY_CNN.name) -> list[str]:
    """Names of a network's shipped models (the tiny CNN's unless told): fp32 first, then the quantized ones
    as its metrics.json lists them."""
    zoo = _zoo(net)
    names = [zoo.prefix + p.stem for p in zoo.dir.glob("*.pt")]
    order = list(metrics(net)) if (zoo.dir / "metrics.json").exists() else []
    return sorted(names, key=lambda n: (n != zoo.fp32_name, order.index(n) if n in order else len(order), n))


def metrics(net: str = TINY_CNN.name) -> dict:
    """A network's metrics.json (the tiny CNN's unless told): test accuracy (integer engine for quantized
    models), params, nbytes, seconds, QConfig."""
    return json.loads((_zoo(net).dir / "metrics.json").read_text())


def parse_name(name: str) -> tuple[str, int, int] | None:
    """A shipped quantized model's name -> (method, weight bits, activation bits): 'qat-w4a8' -> ('qat', 4, 8)."""
    m = re.fullmatch(r"(ptq|qat)-w(\d+)a(\d+)", name)
    return (m[1], int(m[2]), int(m[3])) if m else None


def quantized_names(names: list[str] | None = None) -> list[str]:
    """The quantized models among the shipped ones (or `names`), QAT before PTQ, most bits first."""
    names = available() if names is None else names
    parsed = [(n, parse_name(n)) for n in names]
    return [
        n
        for n, p in sorted(
            ((n, p) for n, p in parsed if p), key=lambda t: (t[1][0] != "qat", -t[1][1], -t[1][2])
        )
    ]
