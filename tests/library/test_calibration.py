"""The calibration bake-off's machinery: seeded subsets, batch-by-batch calibration, the runs and their summary,
and why entropy calibration fails at 4-bit activations here (the digits' input has 17 grey levels)."""

import pytest
import torch

from qlib import calibration, pretrained
from qlib.calibration import BakeoffCell, CalibrationRun, bakeoff, calibration_images, ptq, summarize
from qlib.model import evaluate
from qlib.qat import QConfig, calibrate, convert, prepare_qat
from tests import digest

pytestmark = pytest.mark.usefixtures("one_thread")


def test_calibration_images_are_a_seeded_subset_without_repeats(digits):
    x = digits.train[0]
    a, b = calibration_images(x, 100, 3), calibration_images(x, 100, 3)
    assert torch.equal(a, b) and not torch.equal(a, calibration_images(x, 100, 4))
    assert torch.equal(calibration_images(x, 10, 3), a[:10])  # a larger subset extends a smaller one
    assert len({tuple(r.flatten().tolist()) for r in calibration_images(x, len(x), 0)}) == len(
        {tuple(r.flatten().tolist()) for r in x}
    )
    for bad in (0, len(x) + 1):
        with pytest.raises(ValueError, match="between 1 and"):
            calibration_images(x, bad, 0)


def test_ptq_calibrates_in_batches_of_32(digits):
    fp32 = pretrained.load("fp32")
    images = calibration_images(digits.train[0], 100, 0)
    qc = QConfig(observer="moving_average")
    c = ptq(fp32, qc, images)
    by_hand = convert(calibrate(prepare_qat(fp32, qc), images, batch_size=32))
    one_batch = convert(calibrate(prepare_qat(fp32, qc), images))
    assert digest(c.int8) == digest(by_hand) != digest(one_batch)  # the moving average sees 4 batches
    assert c.cpu_seconds > 0


def test_a_small_bakeoff_and_its_summary(digits):
    fp32 = pretrained.load("fp32")
    seen = []
    runs = bakeoff(fp32, digits, ("minmax", "entropy"), (1, 10), (0, 1), callback=seen.append)
    assert runs == seen and len(runs) == 8 and all(isinstance(r, CalibrationRun) for r in runs)
    r = next(r for r in runs if (r.observer, r.n_images, r.seed) == ("entropy", 10, 1))
    images = calibration_images(digits.train[0], 10, 1)
    c = ptq(fp32, QConfig(observer="entropy"), images)
    assert r.test_acc == evaluate(c.int8, *digits.test) and r.net == "tiny_cnn" and r.a_bits == 8
    assert r.output_sqnr_db == r.sensitivity.layers[-1].cumulative_db
    cells = summarize(runs)
    assert [(c.observer, c.n_images) for c in cells] == [
        ("minmax", 1),
        ("entropy", 1),
        ("minmax", 10),
        ("entropy", 10),
    ]
    cell = cells[3]
    pair = [r.test_acc for r in runs if (r.observer, r.n_images) == ("entropy", 10)]
    assert isinstance(cell, BakeoffCell) and cell.seeds == 2
    assert cell.mean_acc == sum(pair) / 2 and (cell.min_acc, cell.max_acc) == (min(pair), max(pair))


def test_the_mobile_net_is_calibrated_with_its_recipe():
    qc = calibration.base_qconfig(pretrained.load("mobile/fp32"), a_bits=4)
    assert (qc.w_bits, qc.a_bits, qc.w_per_channel) == (8, 4, True)
    assert calibration.base_qconfig(pretrained.load("fp32")) == QConfig(8, 8)


def test_entropy_at_4_bits_keeps_one_grey_level_of_the_input(digits):
    """|x| of the digits takes 9 values (17 grey levels, x = k/8 − 1): with 8 levels the KL search finds a
    perfect match at T = 257/2048 ≈ 0.125 (only |x| = 0.125 kept, the rest in the clipped tail), so the input is
    clipped to ±0.125 and the net sees almost nothing; at 8 bits (128 levels) it keeps the whole range."""
    fp32 = pretrained.load("fp32")
    images = calibration_images(digits.train[0], 1000, 0)
    assert torch.equal(torch.unique((images.abs() * 8).round() / 8), torch.unique(images.abs()))
    four = ptq(fp32, QConfig(8, 4, observer="entropy"), images).model.act_fq["input"].observer
    eight = ptq(fp32, QConfig(8, 8, observer="entropy"), images).model.act_fq["input"].observer
    assert four.threshold() == pytest.approx(257 / 2048) and eight.threshold() == pytest.approx(1.0)
