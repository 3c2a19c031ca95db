"""Page 4: quantization-aware training. fp32, PTQ and QAT trained live; the bit sweep; inside the model."""

from __future__ import annotations

import streamlit as st

from lessons.common.text import sci, signed
from lessons.qat_training import figures as viz
from lessons.qat_training import lesson as lab
from lessons.qat_training.lesson import Config, LayerValues, Plan, Runs, Score, Tick
from lessons.qat_training.questions import LOW_BITS, RELU
from ui import training
from ui.questions import ask
from ui.shell import figure, note, page_end, safe, setup_page
from ui.state import qat_job, qat_runs, qat_sweep, qat_sweep_job
from ui.training_pool import JobCancelled, JobFailed, QueueFull
from ui.url_state import Bool, Choice, Fields, Int
from ui.widgets import digit_splits as splits
from ui.widgets import shipped_fake_quant, shipped_qat_name

URL = Fields(
    Choice("wbits", "qat_wbits", 8, lab.BITS),
    Choice("abits", "qat_abits", 8, lab.BITS),
    Choice("scheme", "qat_scheme", lab.SCHEMES[0], lab.SCHEMES),
    Bool("per_channel", "qat_per_channel", True),
    Choice("observer", "qat_observer", lab.OBSERVER_CHOICES[0], lab.OBSERVER_CHOICES),
    Int("fp32_epochs", "qat_fp32_epochs", lab.FP32_EPOCHS, 1, 20),
    Int("qat_epochs", "qat_qat_epochs", lab.QAT_EPOCHS, 1, 10),
    Int("sweep_epochs", "qat_sweep_epochs", lab.SWEEP_EPOCHS, 1, 5),
    Choice("layer", "qat_layer", lab.LAYER_NAMES[0], lab.LAYER_NAMES),
    Choice("kind", "qat_kind", "weight", ("weight", "activation")),
)
T = setup_page("qat_training", url=URL)


def controls() -> tuple[Config, int, int]:
    """The settings widgets; returns the quantization config and the two epoch counts.

    The bit widths stay in view; the rest is folded, so that on a projector the bits, the Train buttons and the
    curves they change fit on one screen.
    """
    st.subheader(T("settings_h"))
    c1, c2 = st.columns(2)  # in the page's left column, above the buttons, beside the results
    wbits = c1.select_slider(T("wbits"), lab.BITS, value=8, key="qat_wbits")
    abits = c2.select_slider(T("abits"), lab.BITS, value=8, key="qat_abits")
    with st.expander(T("more_settings")):
        scheme, per_channel, observer, fp32_epochs, qat_epochs = more_controls()
    return (
        Config(int(wbits), int(abits), scheme, bool(per_channel), observer),
        int(fp32_epochs),
        int(qat_epochs),
    )


def more_controls() -> tuple[str, bool, str, int, int]:
    """The folded settings: activation scheme, per-channel weights, observer and the two epoch counts."""
    scheme = st.radio(
        T("scheme"),
        lab.SCHEMES,
        key="qat_scheme",
        horizontal=True,
        help=T("scheme_help"),
        format_func=lambda s: T(f"scheme.{s}"),
    )
    per_channel = st.toggle(T("per_channel"), value=True, key="qat_per_channel", help=T("per_channel_help"))
    observer = st.selectbox(
        T("observer"),
        lab.OBSERVER_CHOICES,  # the default first: no `index=`, so a language switch sets it without a warning
        key="qat_observer",
        help=T("observer_help"),
        format_func=lambda o: T(f"observer.{o}"),
    )
    e1, e2 = st.columns(2)
    fp32_epochs = e1.number_input(
        T("fp32_epochs"), 1, 20, lab.FP32_EPOCHS, key="qat_fp32_epochs", help=T("epochs_help")
    )
    qat_epochs = e2.number_input(
        T("qat_epochs"), 1, 10, lab.QAT_EPOCHS, key="qat_qat_epochs", help=T("epochs_help")
    )
    return scheme, bool(per_channel), observer, int(fp32_epochs), int(qat_epochs)


def show_formula(cfg: Config) -> None:
    """Fake quantization with the current bit widths and, after a QAT run, its real scale and zero point."""
    f = lab.formula(cfg)
    st.markdown(f"**{T('formula_h')}**")
    st.latex(f.forward)
    st.latex(f.backward)
    st.caption(
        T(
            "formula_caption",
            wscheme=T("scheme.sym"),
            wbits=cfg.wbits,
            wqmin=signed(f.wq[0]),
            wqmax=f.wq[1],
            ascheme=T(f"scheme.{cfg.scheme}"),
            abits=cfg.abits,
            aqmin=f.aq[0],
            aqmax=f.aq[1],
        )
    )
    r = lab.relu_codes(cfg)
    note_ = T(
        "act_note",
        scheme=T(f"scheme.{cfg.scheme}"),
        abits=cfg.abits,
        zp=r.zero_point,
        div=r.divisor,
        first=r.first,
        qmax=r.qmax,
        used=r.used,
        total=r.total,
    )
    waste = T("act_waste", qmin=r.qmin, below=r.first - 1) if r.used < r.total else ""
    st.caption(note_ + waste + T("act_others"))
    qat = qat_runs().qat
    if qat is not None:
        q = lab.first_layer(qat)
        st.caption(T("formula_caption_trained", layer=q.layer, wscale=q.wscale, ascale=q.ascale, azp=q.azp))


def tick_text(tick: Tick) -> str:
    """The progress bar's line for the epoch record a worker reported."""
    if tick.run == "ptq":
        return T("progress.ptq")
    return T(
        f"progress.{tick.run}", epoch=tick.epoch, epochs=tick.epochs, loss=tick.loss, acc=100 * tick.val_acc
    )


def run_buttons(cfg: Config, fp32_epochs: int, qat_epochs: int) -> None:
    """The four buttons; a click sends the run to the server's training pool (ui.training), then its status."""
    st.subheader(T("run_h"))
    with st.container(horizontal=True):  # as wide as their labels, wrapping to a new row: never cut short
        clicked = [
            k
            for k in lab.STEPS
            if st.button(
                T(f"btn.{k}"),
                key=f"qat_btn_{k}",
                width="content",
                type="primary" if k == "all" else "secondary",
            )
        ]
    st.caption(T("run_caption"))  # under the buttons: on a projector the buttons stay near the settings
    training.training_pool()  # started (and warmed up) when the page first opens, not at the first press
    if clicked:
        try:
            training.submit(Plan(lab.STEPS[clicked[0]], cfg, fp32_epochs, qat_epochs))
        except QueueFull:
            st.warning(T("train.busy"), icon=":material/hourglass_top:")
    show_training()


def job_outcome(run, collect, kind: str) -> None:
    """A finished Train press's or sweep's outcome (`kind`: "train" or "sweep", its strings' prefix): cancelled,
    failed, or done, from the class's cache or trained, in how many seconds."""
    try:
        collect(run)
    except JobCancelled:
        st.caption(T(f"{kind}.cancelled"))
        return
    except JobFailed as exc:
        st.error(T(f"{kind}.failed", message=exc.message), icon=":material/error:")
        return
    if run.job.cached:
        st.info(T(f"{kind}.cached"), icon=":material/bolt:")
    done = "progress.done_cached" if run.job.cached else "progress.done"
    st.progress(1.0, text=T(done, seconds=run.job.seconds or 0.0))


def show_training() -> None:
    """The session's latest press: waiting or training (polled), else its outcome; nothing before a press."""
    run = qat_job()
    if run is None:
        return
    if not run.job.done():
        live_training()  # the only place the page polls: while this session's run is pending
        return
    job_outcome(run, training.collect, "train")


@st.fragment(run_every=1.0)
def live_training() -> None:
    """Place in the queue, then the progress bar with the worker's epoch record; the whole page once it is done."""
    run = training.pending()
    if run is None:
        st.rerun()  # finished: the results, formula and charts below show it
    job = run.job
    if job.shared:
        st.caption(T("train.shared"))
    if job.ahead is not None:
        st.progress(0.0, text=queue_text(job.ahead))
        return
    tick = job.progress.record
    st.progress(job.progress.fraction, text=tick_text(tick) if tick is not None else T("progress.starting"))


def show_score(col, sc: Score, runs: Runs) -> None:
    """One run's test accuracy and its difference from its fair baseline (what it trained: score_caption)."""
    if sc.test_acc is None:
        col.metric(T(f"metric.{sc.run}"), "—")
        return
    delta = T("metric.delta", delta=100 * sc.delta) if sc.delta is not None else None
    flat = sc.delta is not None and round(100 * sc.delta, 1) == 0  # no green arrow for "+0.0 pt"
    help_ = T(f"metric.delta_help.{sc.run}") if sc.delta is not None else None
    col.metric(
        T(f"metric.{sc.run}"),
        f"{100 * sc.test_acc:.1f} %",
        delta=delta,
        delta_color="off" if flat else "normal",
        delta_arrow="off" if flat else "auto",
        help=help_,
    )


def score_caption(col, sc: Score, runs: Runs) -> None:
    """What one run got: its settings, epochs and time."""
    if sc.test_acc is None:
        return
    col.markdown(f"**{T(f'metric.{sc.run}')}**")
    n, m = runs.start.epochs, sc.extra
    if sc.run == "fp32":
        col.caption(T(f"start.{runs.start.origin}", n=n, seconds=sc.seconds or 0.0))
        return
    config = lab.config_label(sc.config, T) if sc.config is not None else ""
    col.caption(T(f"metric.caption.{sc.run}", config=config, n=n, m=m, seconds=sc.seconds))


@safe(T)
def show_results(cfg: Config) -> None:
    """Test accuracy of each run beside its fair baseline, what each trained, and the loss / accuracy curves."""
    st.subheader(T("results_h"))
    runs = qat_runs()
    if runs.empty:
        st.info(T("no_results"), icon=":material/play_circle:")
        return
    scores = lab.scores(runs)
    for col, sc in zip(st.columns(len(scores)), scores, strict=True):
        show_score(col, sc, runs)
    stale = runs.stale(cfg)
    if stale is not None:
        st.warning(T("stale", config=lab.config_label(stale, T)), icon=":material/update:")
    show_curves(runs)  # right under the numbers: on a projector the curves are on screen with the buttons
    if runs.qat is not None:
        m = len(runs.qat.history)
        delta = 100 * (runs.qat.test_acc - runs.start.test_acc)
        st.caption(T("budget_note", n=runs.start.epochs, m=m, delta=delta))
    with st.expander(T("runs_detail")):  # what each run trained, under its number's column
        for col, sc in zip(st.columns(len(scores)), scores, strict=True):
            score_caption(col, sc, runs)


def show_curves(runs: Runs) -> None:
    """Loss and validation accuracy of every epoch the session trained, QAT's after its start model's."""
    points = lab.curve_points(runs)
    if not points:
        return
    made = (("fp32", runs.fp32), ("qat", runs.qat), ("fp32_more", runs.fp32_more))
    last = [(k, r.history[-1]) for k, r in made if r is not None and r.history]
    summary = T.join(
        *(T("curves_run", run=T(f"run.{k}"), loss=i.train_loss, acc=100 * i.val_acc) for k, i in last)
    )
    text = T("curves_summary", n=runs.start.epochs, summary=summary)
    figure(viz.run_curves(runs, T), text, key="qat_fig_curves")


@safe(T)
def show_sweep() -> None:
    """PTQ against QAT at 8, 6, 4, 3 and 2 bits from the same fp32 model, trained in the server's pool."""
    st.subheader(T("sweep_h"))
    st.markdown(T("sweep_intro"))
    c1, c2 = st.columns([1, 3], vertical_alignment="bottom")
    epochs = c1.number_input(T("sweep_epochs"), 1, 5, lab.SWEEP_EPOCHS, key="qat_sweep_epochs")
    if c2.button(T("btn.sweep"), key="qat_btn_sweep", icon=":material/stacked_line_chart:"):
        try:
            training.submit_sweep(int(epochs), lab.SWEEP_BITS)
        except QueueFull:
            st.warning(T("sweep.busy"), icon=":material/hourglass_top:")
    sweep_status()
    sw = qat_sweep()
    if sw is None:
        if qat_sweep_job() is None:
            st.caption(T("sweep_none", epochs=int(epochs)))
        return
    rows = " · ".join(T("sweep_row", bits=r.bits, ptq=100 * r.ptq, qat=100 * r.qat) for r in sw.rows)
    summary = T("sweep_summary", epochs=sw.epochs, rows=rows)
    figure(viz.sweep(sw.rows, sw.fp32, T), summary, key="qat_fig_sweep")


def sweep_status() -> None:
    """The session's latest sweep: waiting or training (polled), else its outcome; nothing before a press."""
    run = qat_sweep_job()
    if run is None:
        return
    if not run.job.done():
        live_sweep()
        return
    job_outcome(run, training.collect_sweep, "sweep")


@st.fragment(run_every=1.0)
def live_sweep() -> None:
    """Place in the queue, then the bit widths done so far; the whole page once the sweep is done."""
    run = training.pending_sweep()
    if run is None:
        st.rerun()  # finished: the chart below shows it
    job = run.job
    if job.shared:
        st.caption(T("sweep.shared"))
    if job.ahead is not None:
        st.progress(0.0, text=queue_text(job.ahead))
        return
    tick = job.progress.record
    done, now = (tick.done, tick.bits) if tick is not None else (0, run.bits[0])
    st.progress(job.progress.fraction, text=T("progress.sweep", done=done, total=len(run.bits), bits=now))


def queue_text(ahead: int) -> str:
    """The progress bar's line while a run waits in the training pool's queue."""
    return T("queue.next") if ahead == 0 else T("queue.ahead_one" if ahead == 1 else "queue.ahead", n=ahead)


@safe(T)
def show_histograms() -> None:
    """One layer's weights or activations, float against fake-quantized, in the session's (or shipped) QAT model."""
    st.subheader(T("hist_h"))
    st.markdown(T("hist_intro"))
    runs = qat_runs()
    run = runs.qat or runs.ptq
    if run is not None:
        qmodel = run.model
        which = "qat" if run is runs.qat else "ptq"
        st.caption(T(f"hist_source.{which}", config=lab.config_label(Config.of(run.qconfig), T)))
    else:
        name = shipped_qat_name()
        qmodel = shipped_fake_quant(name)
        st.caption(T("hist_source.shipped", name=name))
    c1, c2 = st.columns(2)
    layer = c1.selectbox(T("layer"), lab.LAYER_NAMES, key="qat_layer")
    kind = c2.radio(
        T("kind"),
        ("weight", "activation"),
        key="qat_kind",
        horizontal=True,
        format_func=lambda k: T(f"kind.{k}"),
    )
    h = lab.layer_values(qmodel, layer, kind, splits())
    lo, hi = h.scale
    scale = f"{lo:.5f}" if not h.per_channel else T("scale_range", lo=lo, hi=hi)
    summary = T(
        "hist_summary",
        n=h.n,
        levels=h.levels,
        scale=scale,
        zp=h.zero_point,
        clip=100 * h.clip_fraction,
        mse=sci(h.mse),
    )
    figure(viz.layer_histogram(h, kind, T), summary, key="qat_fig_hist")
    st.caption(hist_range(h, kind))


def hist_range(h: LayerValues, kind: str) -> str:
    """What the histogram draws of the range, and what was clamped and why."""
    text = T("hist_grid", lo=h.grid[0], hi=h.grid[1]) if h.grid else T("hist_per_channel", c=h.channels)
    if not h.clipped:
        return text
    text += T(
        "hist_clamped",
        k=h.clipped,
        clip=100 * h.clip_fraction,
        edge=h.edge,
        rest=h.beyond_edge,
        worst=h.worst,
    )
    if kind == "weight":
        text += T("hist_edge_why", half=h.half, qmax=h.qmax, up=h.qmax + 1, qmin=signed(h.qmin))
        text += T("hist_frozen") if h.beyond_edge and h.frozen else ""
    return text


@safe(T)
def show_trace() -> None:
    """Scale and zero point of every quantizer after each QAT epoch (0 = straight after calibration)."""
    st.subheader(T("trace_h"))
    st.markdown(T("trace_intro"))
    qat = qat_runs().qat
    if qat is None:
        st.caption(T("trace_none"))
        return
    n = len(qat.history)
    st.caption(
        T("trace_frozen", k=qat.frozen_at, n=n) if qat.frozen_at is not None else T("trace_not_frozen", n=n)
    )
    rows = lab.trace_rows(qat)
    summary = " · ".join(
        T("trace_row", name=c.name, first=c.first, last=c.last) for c in lab.scale_changes(rows)
    )
    figure(viz.run_trace(qat, T), T("trace_summary", summary=summary), key="qat_fig_trace")


st.title(T("title"))
st.markdown(T("intro"))
ask(T, RELU)
# a projector shows the bit widths and the buttons beside the results and curves they give (a phone stacks them)
left, right = st.columns([1, 2], gap="medium")
with left:
    cfg, fp32_epochs, qat_epochs = controls()
    safe(T)(run_buttons)(cfg, fp32_epochs, qat_epochs)
with right:
    show_results(cfg)
show_formula(cfg)  # after the buttons, so a run just finished shows its own numbers
ask(T, LOW_BITS)
show_sweep()
show_histograms()
show_trace()
note(T, "note")

page_end(T)
