"""Page 4's Train button and bit-width sweep through the server's training pool: queue place, shared cache,
replacement, errors as messages, the same result as in the script thread."""

from __future__ import annotations

import time

import pytest
import torch

from lessons.i18n import t
from lessons.qat_training import jobs
from lessons.qat_training import lesson as lab
from qlib import train
from tests.app.apptest import finish_training, no_errors, run_page
from tests.library import pool_jobs
from ui.state import QAT_JOB, QAT_RUNS, QAT_SWEEP, QAT_SWEEP_JOB
from ui.training import training_pool
from ui.training_pool import QueueFull
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


def one_thread(fn, *args, **kwargs):
    """fn(*args, **kwargs) on one intra-op thread, as in the pool's workers."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return fn(*args, **kwargs)
    finally:
        torch.set_num_threads(threads)


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
    here = one_thread(train.train_qat, qc, 1, init=shipped_model("fp32"), splits=digit_splits())
    assert shown.test_acc == here.test_acc and shown.calibrated == here.calibrated
    assert [h.train_loss for h in shown.history] == [h.train_loss for h in here.history]
    a, b = shown.model.state_dict(), here.model.state_dict()
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    metric = next(m for m in at.metric if m.label == t("qat_training.metric.qat", "en"))
    assert metric.value == f"{100 * shown.test_acc:.1f} %"


# ---------------------------------------------------------------------------------------------------------------
# the bit-width sweep


def sweep_page(lang: str = "en", epochs: int = 1):
    """Page 4 in a fresh session, with the sweep's epochs set."""
    at = run_page(PAGE, lang)
    no_errors(at)
    at.number_input(key="qat_sweep_epochs").set_value(epochs)
    return at.run()


def same_rows(a: lab.Sweep, b: lab.Sweep) -> None:
    """Two sweeps' accuracies agree to the bit (their times, naturally, do not)."""
    assert [(r.bits, r.ptq, r.qat) for r in a.rows] == [(r.bits, r.ptq, r.qat) for r in b.rows]
    assert (a.fp32, a.epochs) == (b.fp32, b.epochs)


def sweep_rows_text(sw: lab.Sweep, lang: str) -> str:
    """The sweep chart's summary rows, as the page writes them."""
    return " · ".join(
        t("qat_training.sweep_row", lang, bits=r.bits, ptq=100 * r.ptq, qat=100 * r.qat) for r in sw.rows
    )


def test_a_sweep_trains_in_the_pool_and_an_identical_one_comes_from_the_cache(monkeypatch):
    """The press leaves the script thread at once; its rows are lab.sweep's, and a second student gets them."""
    monkeypatch.setattr(lab, "SWEEP_BITS", (8, 3))
    training_pool().clear_cache()
    a = sweep_page()
    a.button(key="qat_btn_sweep").click().run()
    no_errors(a)
    assert QAT_SWEEP not in a.session_state and not a.session_state[QAT_SWEEP_JOB].job.done()
    assert len(bars(a)) == 1 and not any("qat_fig_sweep" in c.proto.id for c in a.get("plotly_chart"))
    finish_training(a)
    no_errors(a)
    shown = a.session_state[QAT_SWEEP]
    assert [r.bits for r in shown.rows] == [8, 3] and shown.epochs == 1
    assert bars(a) == [
        t("qat_training.progress.done", "en", seconds=a.session_state[QAT_SWEEP_JOB].job.seconds)
    ]
    summary = t("qat_training.sweep_summary", "en", epochs=1, rows=sweep_rows_text(shown, "en"))
    assert summary in [c.value for c in a.caption]
    assert t("qat_training.sweep.cached", "en") not in [i.value for i in a.info]
    same_rows(shown, one_thread(lab.sweep, shipped_model("fp32"), digit_splits(), 1, None, (8, 3)))

    b = sweep_page("ja")  # another student, the same settings: no waiting, shown in this very run
    b.button(key="qat_btn_sweep").click().run()
    no_errors(b)
    assert b.session_state[QAT_SWEEP_JOB].job.cached
    assert t("qat_training.sweep.cached", "ja") in [i.value for i in b.info]
    same_rows(b.session_state[QAT_SWEEP], shown)


def test_a_sweep_after_training_fp32_starts_from_the_sessions_model(monkeypatch):
    """The sweep's key names its start: after Train fp32 the rows are lab.sweep's from the session's model."""
    monkeypatch.setattr(lab, "SWEEP_BITS", (8, 2))
    at = page(fp32_epochs=1)
    finish_training(at.button(key="qat_btn_fp32").click().run())
    at.number_input(key="qat_sweep_epochs").set_value(1)
    finish_training(at.button(key="qat_btn_sweep").click().run())
    no_errors(at)
    fp32 = at.session_state[QAT_RUNS].fp32
    assert at.session_state[QAT_SWEEP_JOB].job.key == jobs.sweep_key(lab.Runs(fp32=fp32), 1, (8, 2))
    assert jobs.sweep_key(lab.Runs(fp32=fp32), 1, (8, 2)) != jobs.sweep_key(lab.Runs(), 1, (8, 2))
    shown = at.session_state[QAT_SWEEP]
    same_rows(shown, one_thread(lab.sweep, fp32.model, digit_splits(), 1, None, (8, 2)))
    assert shown.fp32 == fp32.test_acc


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_queued_sweep_shows_its_place_and_replaces_only_the_older_sweep(busy_pool, lang):
    n = busy_pool.size
    a = page(lang, wbits=5)
    a.button(key="qat_btn_qat").click().run()
    trained = a.session_state[QAT_JOB].job
    a.button(key="qat_btn_sweep").click().run()  # the same student sweeps while the Train run waits
    no_errors(a)
    first = a.session_state[QAT_SWEEP_JOB].job
    ahead = t("qat_training.queue.ahead_one" if n == 1 else "qat_training.queue.ahead", lang, n=n)
    assert trained.state == "queued" and first.state == "queued"
    assert bars(a) == [ahead, t("qat_training.queue.ahead", lang, n=n + 1)]  # Train's, then the sweep's
    a.number_input(key="qat_sweep_epochs").set_value(2).run()
    a.button(key="qat_btn_sweep").click().run()  # another sweep: the older one goes, the Train run stays
    second = a.session_state[QAT_SWEEP_JOB].job
    assert first.state == "cancelled" and second is not first and second.state == "queued"
    assert trained.state == "queued" and a.session_state[QAT_JOB].job is trained
    assert bars(a) == [ahead, t("qat_training.queue.ahead", lang, n=n + 1)]
    busy_pool.cancel_owner(second.owner)  # as when the session's tab has gone
    a.run()
    no_errors(a)
    assert second.state == "cancelled" and trained.state == "queued"
    assert t("qat_training.sweep.cancelled", lang) in [c.value for c in a.caption]
    trained.cancel()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_running_sweep_shows_the_bit_widths_done(monkeypatch, lang):
    monkeypatch.setattr(lab, "SWEEP_BITS", (8, 3))
    monkeypatch.setattr(jobs, "run_sweep", pool_jobs.sweep_halfway)
    training_pool().clear_cache()
    at = sweep_page(lang, epochs=4)
    at.button(key="qat_btn_sweep").click().run()
    job = at.session_state[QAT_SWEEP_JOB].job
    while job.progress.record is None:  # the worker's first report: a state, not a time
        assert not job.wait(0.05)
    at.run()
    no_errors(at)
    assert bars(at) == [t("qat_training.progress.sweep", lang, done=1, total=2, bits=3)]
    job.cancel()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_failed_sweep_is_a_message_not_a_traceback(monkeypatch, lang):
    monkeypatch.setattr(jobs, "run_sweep", pool_jobs.sweep_fails)
    training_pool().clear_cache()
    at = sweep_page(lang, epochs=3)
    finish_training(at.button(key="qat_btn_sweep").click().run())
    assert not at.exception
    assert [e.value for e in at.error] == [t("qat_training.sweep.failed", lang, message="no sweep today")]
    assert QAT_SWEEP not in at.session_state


def test_a_full_queue_says_so(monkeypatch):
    def full(*args, **kwargs):
        raise QueueFull("100 runs are waiting already")

    monkeypatch.setattr(training_pool(), "submit", full)
    at = sweep_page("ja")
    at.button(key="qat_btn_sweep").click().run()
    no_errors(at)
    assert t("qat_training.sweep.busy", "ja") in [w.value for w in at.warning]
    assert QAT_SWEEP_JOB not in at.session_state
