"""The MobileNet-style net shipped like the first: its zoo and names, `python -m qlib.train`, the recipe's
determinism, and what the studies find (per-tensor against per-channel, CLE, BatchNorm freezing)."""

import json

import pytest
import torch

from qlib import mobile, pretrained, train
from qlib.model import Net, TinyCNN, evaluate
from qlib.qat import QConfig
from qlib.spec import MOBILE_CNN
from tests import digest
from tests.library.test_pretrained import EXPECTED

pytestmark = pytest.mark.usefixtures("one_thread")  # tests/conftest.py


def test_the_tiny_cnns_zoo_is_as_it_was():
    names = pretrained.available()
    assert set(names) == EXPECTED and names[0] == "fp32"  # no mobile name: pages listing models are unchanged
    assert set(pretrained.metrics()) == EXPECTED and not any("/" in n for n in pretrained.metrics())
    assert isinstance(pretrained.load("fp32"), TinyCNN)
    assert pretrained.quantized_names() == pretrained.quantized_names(sorted(EXPECTED))


def test_the_mobile_zoo():
    names = pretrained.available("mobile_cnn")
    assert names == ["mobile/fp32", *(v.name for v in mobile.SHIPPED)]
    assert set(pretrained.metrics("mobile_cnn")) == set(names)
    m = pretrained.load("mobile/fp32")
    assert isinstance(m, Net) and m.spec is MOBILE_CNN and not m.training
    for name in names[1:]:
        v = mobile.Variant.from_name(name)
        assert v is not None and v.name == name and pretrained.qconfig(name) == v.qconfig
        assert pretrained.zoo_of(name).spec is MOBILE_CNN
        torch.load(pretrained.MODELS_DIR / f"{name}.pt", weights_only=True)
    assert mobile.Variant.from_name("qat-w8a8") is None and mobile.Variant.from_name("mobile/fp32") is None
    with pytest.raises(KeyError, match="no shipped model"):
        pretrained.load("mobile/ptq-w2a2")
    with pytest.raises(KeyError, match="no zoo"):
        pretrained.available("resnet")


def test_names_and_the_recipe():
    assert mobile.Variant("ptq", 4, 8, False).name == "mobile/ptq-w4a8-per-tensor"
    assert mobile.Variant("qat", 8).name == "mobile/qat-w8a8"
    qc = mobile.qconfig(4, per_channel=False)
    assert (qc.w_bits, qc.a_bits, qc.w_per_channel, qc.freeze_bn_after) == (
        4,
        8,
        False,
        mobile.FREEZE_BN_AFTER,
    )
    assert "freeze_bn_after" not in QConfig().as_dict()  # BatchNorm-free configs keep their earlier form
    assert QConfig(**qc.as_dict()) == qc


def test_metrics_reproduce_and_record_the_training_time(digits):
    m = pretrained.metrics("mobile_cnn")
    assert evaluate(pretrained.load("mobile/fp32"), *digits.test) == m["mobile/fp32"]["test_acc"]
    assert m["mobile/fp32"]["epochs"] == mobile.FP32_EPOCHS and 0 < m["mobile/fp32"]["cpu_seconds"] < 60
    for name, row in m.items():
        assert {"test_acc", "params", "nbytes", "seconds", "cpu_seconds"} <= set(row), name
        if name != "mobile/fp32":
            assert row["epochs"] == (mobile.QAT_EPOCHS if "/qat-" in name else 0)


def test_python_m_qlib_train_writes_the_networks_named(monkeypatch):
    called = []
    monkeypatch.setattr(train, "save_all", lambda *a, **k: called.append(("tiny_cnn", a, k)))
    monkeypatch.setattr(mobile, "save_all", lambda: called.append("mobile_cnn"))
    train.main([])
    train.main(["mobile_cnn"])
    train.main(["mobile_cnn", "tiny_cnn", "--plain", "--out", "/tmp/x"])
    tiny = ("tiny_cnn", (None,), {"plain": False})
    assert called == [tiny, "mobile_cnn", "mobile_cnn", ("tiny_cnn", ("/tmp/x",), {"plain": True})]
    with pytest.raises(SystemExit):
        train.main(["resnet"])


def test_save_all_writes_a_zoo_that_loads(tmp_path, monkeypatch, digits):
    """save_all with a stubbed, tiny training: the file layout and metrics format, not the figures."""
    small = type(digits)((digits.train[0][:64], digits.train[1][:64]), digits.val, digits.test)
    monkeypatch.setattr(mobile, "FP32_EPOCHS", 1)
    monkeypatch.setattr(mobile, "SHIPPED", (mobile.Variant("ptq", 4, 8, False), mobile.Variant("qat", 8)))
    monkeypatch.setattr(mobile, "QAT_EPOCHS", 1)
    metrics = mobile.save_all(tmp_path, small)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "fp32.pt",
        "metrics.json",
        "ptq-w4a8-per-tensor.pt",
        "qat-w8a8.pt",
    ]
    assert json.loads((tmp_path / "metrics.json").read_text()) == metrics
    assert metrics["mobile/fp32"]["epochs"] == 1 and metrics["mobile/qat-w8a8"]["epochs"] == 1
    blob = torch.load(tmp_path / "qat-w8a8.pt", weights_only=True)
    assert blob["spec"] == "mobile_cnn" and "dw2_bn.running_var" in blob["float_state"]


def test_fp32_training_is_deterministic(digits):
    """Two runs of the recipe's first epochs give the same weights bit for bit. (Retraining all 40 epochs gives
    the shipped weights only on a CPU like the one they were trained on: on an AVX-512 machine the same code
    reached other weights and 96.94 % instead of 97.22 %, so the shipped file is held by its metrics below.)"""
    a, b = (mobile.train_fp32(2, splits=digits) for _ in range(2))
    assert digest(a.model) == digest(b.model) and a.test_acc == b.test_acc
    assert [e.train_loss for e in a.history] == [e.train_loss for e in b.history]


def test_the_shipped_fp32_is_what_its_metrics_say(digits, fp32):
    assert evaluate(fp32, *digits.test) == pretrained.metrics("mobile_cnn")["mobile/fp32"]["test_acc"]


@pytest.mark.parametrize("name", ["mobile/qat-w4a8-per-tensor"])
def test_qat_is_deterministic(digits, fp32, name):
    """Two QAT runs (one epoch) from the shipped fp32 weights convert to the same integer model. (Like fp32
    training, a full QAT run reproduces the shipped codes only on the kind of CPU they were made on.)"""
    v = mobile.Variant.from_name(name)
    a, b = (mobile.quantize(fp32, v, digits, epochs=1) for _ in range(2))
    assert all(
        torch.equal(x.w_q, y.w_q) and x.out_scale == y.out_scale
        for x, y in zip(a.int8.layers, b.int8.layers, strict=True)
    )


# -- what the studies find on this net (each figure is in bench/results/mobile.md) -------------------------------


def test_ptq_per_tensor_equals_per_channel_at_8_bits_and_falls_behind_at_3(fp32, digits):
    """Measured (shipped fp32, 360 test images): 8 bits per-channel 97.22 %, per-tensor 97.50 %; 3 bits 96.11 %
    against 94.44 %. Only at 3-bit weights does one scale per tensor cost accuracy here."""
    acc = {
        (b, pc): mobile.quantize(fp32, mobile.Variant("ptq", b, 8, pc), digits).test_acc
        for b in (8, 3)
        for pc in (True, False)
    }
    assert abs(acc[(8, True)] - acc[(8, False)]) <= 1 / 360 + 1e-9
    assert acc[(3, True)] - acc[(3, False)] >= 4 / 360 - 1e-9


def test_cle_brings_per_tensor_close_to_per_channel(fp32, digits):
    """Measured: equalising evens the folded channel ranges (dw3's spread 4.3 → 1.4) and raises every conv
    layer's own SQNR under per-tensor weights (dw3 at 4 bits: 15.7 → 21.5 dB, per-channel 21.7); 3-bit
    per-tensor PTQ goes 94.44 % → 95.83 % (ReLU6 → ReLU alone: 94.72 %; per-channel: 96.11 %). At 8 bits all
    four are within two images (97.22–97.78 %), the noise of 360 test images."""
    eq, rows = mobile.cle_study(fp32, bits=(8, 4, 3), splits=digits)
    assert eq.spread("dw3")[0] > 4 and eq.spread("dw3")[1] < 1.5
    r8, r4, r3 = rows
    accs8 = (r8.per_tensor, r8.per_tensor_relu, r8.per_tensor_equalized, r8.per_channel)
    assert max(accs8) - min(accs8) <= 2 / 360 + 1e-9
    assert r3.per_tensor_equalized - r3.per_tensor >= 4 / 360 - 1e-9  # 5 images more
    assert r3.per_channel - r3.per_tensor_equalized <= 1 / 360 + 1e-9  # one image short of per-channel
    assert r3.per_tensor_relu - r3.per_tensor <= 1 / 360 + 1e-9  # the replacement is not what helps
    for r in (r4, r3):
        for name in ("conv1", "dw2", "pw2", "dw3", "pw3"):
            assert r.after.layer(name).own_db > r.before.layer(name).own_db, (r.w_bits, name)
        assert r.before.breaks_first == "dw3" and r.after.breaks_first != "dw3"
        worst = lambda s: min(layer.own_db for layer in s.layers)  # noqa: E731
        assert worst(r.after) > worst(r.before) + 2.0
    pc4 = mobile.granularity(fp32, bits=(4,), methods=("ptq",), splits=digits)[0]
    assert abs(r4.after.layer("dw3").own_db - pc4.sensitivity.layer("dw3").own_db) < 1.0


@pytest.mark.slow
def test_qat_recovers_3_bit_per_tensor(fp32, digits):
    """Measured: QAT 3-bit per-tensor 96.67 % = per-channel 96.67 % (PTQ: 94.44 % and 96.11 %)."""
    rows = mobile.granularity(fp32, bits=(3,), methods=("qat",), splits=digits)
    pc, pt = (r for r in rows)
    assert pc.variant.per_channel and not pt.variant.per_channel
    assert pt.test_acc >= pc.test_acc - 1 / 360 - 1e-9
    assert pt.sensitivity.breaks_first == "dw3"


@pytest.mark.slow
def test_freezing_batchnorm_changes_little_on_this_net(fp32, digits):
    """The two runs are identical until the freeze, then differ by at most three test images (measured: 97.50 %
    frozen, 97.78 % not, where bench/results/mobile.json was recorded; 98.06 % and 97.22 % on an AVX-512 machine,
    whose kernels round training differently): the batch statistics drift by < 4 % from the running ones."""
    c = mobile.bn_freeze_curves(fp32, w_bits=4, epochs=8, freeze_bn_after=4, splits=digits)
    assert [e.val_acc for e in c.frozen[:4]] == [e.val_acc for e in c.unfrozen[:4]]
    assert [e.train_loss for e in c.frozen[:4]] == [e.train_loss for e in c.unfrozen[:4]]
    assert [e.train_loss for e in c.frozen[4:]] != [e.train_loss for e in c.unfrozen[4:]]
    assert abs(c.frozen_test_acc - c.unfrozen_test_acc) <= 3 / 360 + 1e-9
