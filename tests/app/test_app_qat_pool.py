"""Page 4's Train button through the server's training pool: queue place, shared cache, replacement, same result."""

from __future__ import annotations

import time

import pytest
import torch

from lessons.i18n import t
from lessons.qat_training import lesson as lab
from qlib import train
from tests.app.apptest import finish_training, no_errors, run_page
from tests.library import pool_jobs
from ui.state import QAT_JOB, QAT_RUNS
from ui.training import training_pool
from ui.widgets import digit_splits, shipped_model

PAGE = "pages/4_QAT_training.py"


def page(lang: str = "en", wbits: int = 8, fp32_epochs: int = 1, qat_epochs: int = 1):
    """Page 4 in a fresh session, with small epoch counts and a weight bit width."""
    at = run_page(PAGE, lang)
    no_errors(at)
    at.number_input(key="qat_fp32_epochs").set_value(fp32_epochs)
    at.number_input(key="qat_qat_epochs").set_value(qat_epochs)
    at.select_slider(key="qat_wbits").set_value(wbits)
    return at.run()


def bars(at) -> list[str]:
    return [p.proto.text for p in at.get("progress")]


@pytest.fixture()
def busy_pool(tmp_path):
    """The server's pool with every worker held by a blocker until the test ends (its cache emptied first)."""
    pool = training_pool()
    pool.clear_cache()
    gate = tmp_path / "gate"
    blockers = [pool.submit(("blocker", i), pool_jobs.wait_for_file, str(gate)) for i in range(pool.size)]
    for b in blockers:
        assert b.wait(0) is False
    while any(b.position != 0 for b in blockers):
        blockers[0].wait(0.05)
    yield pool
    gate.touch()
    for b in blockers:
        b.wait(60)
    while pool.stats()["queued"] or pool.stats()["running"]:  # the test's runs train on: let them end
        time.sleep(0.1)
    pool.clear_cache()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_queued_press_shows_its_place_and_a_newer_press_replaces_it(busy_pool, lang):
    n = busy_pool.size  # the blockers run ahead of everyone
    a = page(lang, wbits=5)
    a.button(key="qat_btn_qat").click().run()
    no_errors(a)
    first = a.session_state[QAT_JOB].job
    ahead = t("qat_training.queue.ahead_one" if n == 1 else "qat_training.queue.ahead", lang, n=n)
    assert first.state == "queued" and bars(a) == [ahead]
    b = page(lang, wbits=6)  # another student, other settings: one more run ahead
    b.button(key="qat_btn_qat").click().run()
    assert bars(b) == [t("qat_training.queue.ahead", lang, n=n + 1)]
    a.button(key="qat_btn_ptq").click().run()  # the same student again: the older press is cancelled
    assert first.state == "cancelled" and a.session_state[QAT_JOB].job is not first
    assert bars(a) == [t("qat_training.queue.ahead", lang, n=n + 1)]  # a's new run: behind b's
    assert bars(b.run()) == [ahead]  # a's cancelled run left the queue: b moved up
    assert QAT_RUNS not in a.session_state  # nothing trained yet


def test_identical_settings_come_from_the_cache_and_the_page_says_so():
    training_pool().clear_cache()
    a = page(wbits=3)
    finish_training(a.button(key="qat_btn_fp32").click().run())
    no_errors(a)
    assert not a.session_state[QAT_JOB].job.cached and bars(a)[0].startswith("Done in")
    assert t("qat_training.train.cached", "en") not in [i.value for i in a.info]
    b = page(wbits=4)  # fp32 alone does not depend on the bit widths: the same run
    b.button(key="qat_btn_fp32").click().run()  # no waiting: shown in this very run
    no_errors(b)
    assert b.session_state[QAT_JOB].job.cached
    assert t("qat_training.train.cached", "en") in [i.value for i in b.info]
    ra, rb = a.session_state[QAT_RUNS], b.session_state[QAT_RUNS]
    assert rb.fp32.test_acc == ra.fp32.test_acc and rb.start == ra.start


def test_the_pages_result_is_train_qats():
    """The run trained in a worker and shown by the page is qlib.train.train_qat's here, to the bit."""
    at = page(wbits=4, qat_epochs=1)
    at.select_slider(key="qat_abits").set_value(4).run()
    finish_training(at.button(key="qat_btn_qat").click().run())
    no_errors(at)
    shown = at.session_state[QAT_RUNS].qat
    qc = lab.Config(4, 4).qconfig(1)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # as in the workers
    try:
        here = train.train_qat(qc, 1, init=shipped_model("fp32"), splits=digit_splits())
    finally:
        torch.set_num_threads(threads)
    assert shown.test_acc == here.test_acc and shown.calibrated == here.calibrated
    assert [h.train_loss for h in shown.history] == [h.train_loss for h in here.history]
    a, b = shown.model.state_dict(), here.model.state_dict()
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    metric = next(m for m in at.metric if m.label == t("qat_training.metric.qat", "en"))
    assert metric.value == f"{100 * shown.test_acc:.1f} %"
