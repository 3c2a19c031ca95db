"""The shipped models: every file loads safely, reproduces its recorded accuracy, and callers can't corrupt the cache."""

from types import SimpleNamespace

import pytest
import torch

from qlib import pretrained
from qlib.data import load_digits
from qlib.int8 import Int8Model
from qlib.model import TinyCNN, evaluate
from qlib.qat import QATNet, QConfig, to_int8_layers
from qlib.train import run_ptq, train_qat
from tests import digest

EXPECTED = {
    "fp32",
    "ptq-w8a8",
    "qat-w8a8",
    "ptq-w4a4",
    "qat-w4a4",
    "ptq-w3a3",
    "qat-w3a3",
    "ptq-w2a2",
    "qat-w2a2",
}


@pytest.fixture(scope="module")
def splits():
    return load_digits()


def test_available_and_metrics():
    names = pretrained.available()
    assert set(names) >= EXPECTED and names[0] == "fp32"
    m = pretrained.metrics()
    assert set(m) == set(names)
    for name in names:
        assert {"test_acc", "params", "nbytes", "seconds"} <= set(m[name])
        if name != "fp32":
            assert QConfig(**m[name]["qconfig"]) == pretrained.qconfig(name)
    assert m["qat-w8a8"]["nbytes"] <= 0.30 * m["fp32"]["nbytes"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_file_loads_with_weights_only_and_reproduces_its_accuracy(splits, name):
    torch.load(pretrained.MODELS_DIR / f"{name}.pt", weights_only=True)  # tensors, numbers and strings only
    model = pretrained.load(name)
    if name == "fp32":
        assert isinstance(model, TinyCNN) and not model.training
    else:
        assert isinstance(model, Int8Model) and model.requant == "fixed"
    assert evaluate(model, *splits.test) == pretrained.metrics()[name]["test_acc"]


@pytest.mark.parametrize("name", ["ptq-w8a8", "qat-w4a4", "qat-w2a2"])
def test_fake_quant_form_converts_to_the_shipped_layers(name):
    fq = pretrained.load_fake_quant(name)
    assert isinstance(fq, QATNet) and fq.frozen and not fq.training
    for ours, shipped in zip(to_int8_layers(fq), pretrained.load_layers(name), strict=True):
        for field, value in ours.__dict__.items():
            other = getattr(shipped, field)
            assert torch.equal(value, other) if torch.is_tensor(value) else value == other, field


def test_every_shipped_model_loads():
    """Every file loads (the load time is the benchmark's business, not a test's)."""
    pretrained._read.cache_clear()
    for name in pretrained.available():
        assert pretrained.load(name) is not None


def test_each_load_is_a_private_copy():
    a = pretrained.load("fp32")
    before = digest(pretrained.load("fp32"))
    with torch.no_grad():
        a.conv1.weight.zero_()
    assert digest(pretrained.load("fp32")) == before
    q = pretrained.load("qat-w8a8")
    before_q = digest(pretrained.load("qat-w8a8"))
    q.layers[0].w_q.zero_()
    assert digest(pretrained.load("qat-w8a8")) == before_q


def test_cached_models_unchanged_after_a_training_run(splits):
    """The app trains from the shipped fp32 model: neither it nor the cache may change."""
    init = pretrained.load("fp32")
    before = {name: digest(pretrained.load(name)) for name in ("fp32", "qat-w8a8")}
    before_init = digest(init)
    small = SimpleNamespace(
        train=(splits.train[0][:128], splits.train[1][:128]), val=splits.val, test=splits.test
    )
    train_qat(QConfig(4, 4), epochs=1, init=init, splits=small)
    run_ptq(init, QConfig(8, 8), small)
    train_qat(QConfig(8, 8), epochs=1, splits=small)  # init=None: starts from the shipped fp32 model
    assert digest(init) == before_init
    assert {name: digest(pretrained.load(name)) for name in before} == before


def test_unknown_name():
    with pytest.raises(KeyError, match="available"):
        pretrained.load("qat-w1a1")


@pytest.mark.parametrize("name", ["ptq-w8a8", "qat-w8a8"])
def test_shipped_integer_model_agrees_with_its_fake_quant_model(splits, name):
    """The integer engine computes what QAT simulated: the same top-1 on >= 99 % of the test images."""
    from qlib.model import predict

    x = splits.test[0]
    fq, int8 = pretrained.load_fake_quant(name), pretrained.load(name)
    assert float((predict(fq, x).argmax(1) == predict(int8, x).argmax(1)).double().mean()) >= 0.99


def test_high_level_api_results(splits):
    from qlib.train import bit_sweep

    small = SimpleNamespace(
        train=(splits.train[0][:128], splits.train[1][:128]), val=splits.val, test=splits.test
    )
    ptq = run_ptq(None, QConfig(8, 8), small)  # None: the shipped fp32 model
    assert ptq.name == "ptq-w8a8" and isinstance(ptq.int8, Int8Model) and ptq.history == []
    assert ptq.test_acc == evaluate(ptq.int8, *splits.test) > 0.9
    seen = []
    qat = train_qat(QConfig(4, 4), epochs=2, callback=seen.append, splits=small)
    assert qat.name == "qat-w4a4" and len(qat.history) == 2 == len(seen) and seen[0].quantizers
    rows = []
    out = bit_sweep((8, 2), epochs=1, callback=rows.append, splits=small)
    assert out == rows and [r.bits for r in rows] == [8, 2]
    assert all(0 <= r.ptq <= 1 and 0 <= r.qat <= 1 for r in rows)
    assert qat.calibrated and qat.frozen_at is None  # recipe freezes at epoch 5 of 8: not within 2 epochs
