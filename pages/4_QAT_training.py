"""Page 4: quantization-aware training. fp32, PTQ and QAT trained live; the bit sweep; inside the model."""

from __future__ import annotations

import streamlit as st

from lessons.qat_training import figures as viz
from lessons.qat_training import lesson as lab
from qlib.quant import qrange
from ui.shell import figure, note, safe, setup_page
from ui.widgets import digit_splits as splits
from ui.widgets import shipped_fake_quant, shipped_qat_name
from ui.widgets import shipped_model as shipped

T = setup_page("qat_training")
RESULTS = "qat_results"  # session_state: {"fp32" | "ptq" | "qat": Run}, the session's own models and numbers
SWEEP = "qat_sweep"  # session_state: the last sweep's rows


def config_label(c: lab.Config) -> str:
    """'W8A8 · Symmetric · per-channel · Min–max' in the current language."""
    return T(
        "config",
        w=c.wbits,
        a=c.abits,
        scheme=T(f"scheme.{c.scheme}"),
        granularity=T("granularity." + ("per_channel" if c.per_channel else "per_tensor")),
        observer=T(f"observer.{c.observer}"),
    )


def controls() -> tuple[lab.Config, int, int]:
    """The settings widgets; returns the quantization config and the two epoch counts."""
    st.subheader(T("settings_h"))
    c1, c2, c3 = st.columns(3)
    wbits = c1.select_slider(T("wbits"), lab.BITS, value=8, key="qat_wbits")
    abits = c1.select_slider(T("abits"), lab.BITS, value=8, key="qat_abits")
    scheme = c2.radio(
        T("scheme"),
        lab.SCHEMES,
        key="qat_scheme",
        horizontal=True,
        help=T("scheme_help"),
        format_func=lambda s: T(f"scheme.{s}"),
    )
    per_channel = c2.toggle(T("per_channel"), value=True, key="qat_per_channel", help=T("per_channel_help"))
    observer = c3.selectbox(
        T("observer"),
        lab.OBSERVERS,
        index=lab.OBSERVERS.index(lab.Config.observer),
        key="qat_observer",
        help=T("observer_help"),
        format_func=lambda o: T(f"observer.{o}"),
    )
    e1, e2 = c3.columns(2)
    fp32_epochs = e1.number_input(
        T("fp32_epochs"), 1, 20, lab.FP32_EPOCHS, key="qat_fp32_epochs", help=T("epochs_help")
    )
    qat_epochs = e2.number_input(
        T("qat_epochs"), 1, 10, lab.QAT_EPOCHS, key="qat_qat_epochs", help=T("epochs_help")
    )
    return (
        lab.Config(int(wbits), int(abits), scheme, bool(per_channel), observer),
        int(fp32_epochs),
        int(qat_epochs),
    )


def formula(cfg: lab.Config) -> None:
    """Fake quantization with the current bit widths and, after a QAT run, its real scale and zero point."""
    st.markdown(f"**{T('formula_h')}**")
    wq, aq = qrange(cfg.wbits, signed=True), qrange(cfg.abits, signed=False)  # activations: unsigned codes
    z = "" if cfg.scheme == "sym" else " + z_a"  # symmetric after the ReLU: zero point 0
    st.latex(
        rf"\hat w = s_w\,\mathrm{{clamp}}(\mathrm{{round}}(w / s_w),\ {wq[0]},\ {wq[1]})"
        rf"\qquad \hat a = s_a\,\big(\mathrm{{clamp}}(\mathrm{{round}}(a / s_a){z},\ {aq[0]},\ {aq[1]})"
        + (r"\big)" if not z else r" - z_a\big)")
    )
    st.latex(
        r"\frac{\partial \hat a}{\partial a} \approx \mathbf{1}\left["
        + f"{aq[0]}"
        + r" \le \mathrm{round}(a/s_a)"
        + z
        + r" \le "
        + f"{aq[1]}"
        + r"\right]"
    )
    st.caption(
        T(
            "formula_caption",
            wscheme=T("scheme.sym"),
            wbits=cfg.wbits,
            wqmin=wq[0],
            wqmax=wq[1],
            ascheme=T(f"scheme.{cfg.scheme}"),
            abits=cfg.abits,
            aqmin=aq[0],
            aqmax=aq[1],
        )
    )
    if cfg.scheme == "sym":
        st.caption(T("sym_note"))
    run = st.session_state.get(RESULTS, {}).get("qat")
    if run is not None and run.trace:
        last = run.qparams_now
        st.caption(
            T(
                "formula_caption_trained",
                layer=last["layer"],
                wscale=last["wscale"],
                ascale=last["ascale"],
                azp=last["azp"],
            )
        )


def _start_model(results: dict) -> tuple[object, str]:
    """PTQ and QAT start from the session's fp32 model if there is one, else from a copy of the shipped one."""
    if "fp32" in results:
        return results["fp32"].model, "session"
    return shipped("fp32"), "shipped"


def train(which: tuple[str, ...], cfg: lab.Config, fp32_epochs: int, qat_epochs: int) -> None:
    """Run the chosen steps with a progress bar and live curves; keep the results in the session."""
    results = dict(st.session_state.get(RESULTS, {}))
    bar, live = st.progress(0.0), st.empty()
    history = [h for r in results.values() for h in r.history] if "fp32" not in which else []
    total = (
        (fp32_epochs if "fp32" in which else 0)
        + (1 if "ptq" in which else 0)
        + (qat_epochs if "qat" in which else 0)
    )
    done = [0]

    def tick(run: str, info: dict) -> None:
        """Per-epoch callback: advance the bar, redraw the curves."""
        done[0] += 1
        history.append({"run": run, **info})
        bar.progress(
            min(done[0] / total, 1.0),
            text=T(
                f"progress.{run}",
                epoch=info["epoch"],
                epochs=info["epochs"],
                loss=info["loss"],
                acc=100 * info["val_acc"],
            ),
        )
        live.plotly_chart(viz.curves(history, T), width="stretch", config={"displaylogo": False})

    seconds = 0.0
    if "fp32" in which:
        results = {"fp32": lab.train_fp32(splits(), fp32_epochs, lambda i: tick("fp32", i))}
        seconds += results["fp32"].seconds
    start, origin = _start_model(results)
    if "ptq" in which:
        bar.progress(done[0] / total, text=T("progress.ptq"))
        results["ptq"] = lab.run_ptq(start, cfg, splits(), origin)
        done[0] += 1
        seconds += results["ptq"].seconds
    if "qat" in which:
        results["qat"] = lab.train_qat(start, cfg, splits(), qat_epochs, lambda i: tick("qat", i), origin)
        seconds += results["qat"].seconds
    st.session_state[RESULTS] = results
    bar.progress(1.0, text=T("progress.done", seconds=seconds))
    live.empty()


def run_buttons(cfg: lab.Config, fp32_epochs: int, qat_epochs: int) -> None:
    """The four buttons; a click trains right here, on this session's copies."""
    st.subheader(T("run_h"))
    st.caption(T("run_caption"))
    cols = st.columns(4)
    steps = {"fp32": ("fp32",), "ptq": ("ptq",), "qat": ("qat",), "all": ("fp32", "ptq", "qat")}
    clicked = [
        k
        for k, col in zip(steps, cols, strict=True)
        if col.button(
            T(f"btn.{k}"), key=f"qat_btn_{k}", width="stretch", type="primary" if k == "all" else "secondary"
        )
    ]
    if clicked:
        train(steps[clicked[0]], cfg, fp32_epochs, qat_epochs)


@safe(T)
def show_results(cfg: lab.Config) -> None:
    """Test accuracy of each run (with its config and time) and the loss / accuracy curves."""
    st.subheader(T("results_h"))
    results = st.session_state.get(RESULTS, {})
    if not results:
        st.info(T("no_results"), icon=":material/play_circle:")
        return
    base = results["fp32"].test_acc if "fp32" in results else None
    cols = st.columns(3)
    for col, run in zip(cols, ("fp32", "ptq", "qat"), strict=True):
        r = results.get(run)
        if r is None:
            col.metric(T(f"metric.{run}"), "—")
            continue
        label = config_label(r.config) if r.config else T("start.session")
        delta = (
            T("metric.delta", delta=100 * (r.test_acc - base)) if base is not None and run != "fp32" else None
        )
        col.metric(
            T(f"metric.{run}"),
            f"{100 * r.test_acc:.1f} %",
            delta=delta,
            delta_color="normal",
            help=T("metric.help", config=label, seconds=r.seconds),
        )
        what = T("metric.calibrated") if run == "ptq" else T("metric.epochs", n=len(r.history))
        col.caption(
            T(
                "metric.caption",
                config=label if run != "fp32" else T("run.fp32"),
                what=what,
                seconds=r.seconds,
            )
        )
    stale = [r for r in results.values() if r.config is not None and r.config != cfg]
    if stale:
        st.warning(T("stale", config=config_label(stale[0].config)), icon=":material/update:")
    history = [h for r in results.values() for h in r.history]
    if history:
        runs = " ".join(
            T("curves_run", run=T(f"run.{k}"), loss=r.history[-1]["loss"], acc=100 * r.history[-1]["val_acc"])
            for k, r in results.items()
            if r.history
        )
        figure(viz.curves(history, T), T("curves_summary", summary=runs), key="qat_fig_curves")


@safe(T)
def show_sweep() -> None:
    """PTQ against QAT at 8, 6, 5, 4, 3 and 2 bits, from the same fp32 model."""
    st.subheader(T("sweep_h"))
    st.markdown(T("sweep_intro"))
    c1, c2 = st.columns([1, 3], vertical_alignment="bottom")
    epochs = c1.number_input(T("sweep_epochs"), 1, 5, lab.SWEEP_EPOCHS, key="qat_sweep_epochs")
    if c2.button(T("btn.sweep"), key="qat_btn_sweep", icon=":material/stacked_line_chart:"):
        bar = st.progress(0.0)
        start, _ = _start_model(st.session_state.get(RESULTS, {}))

        def tick(frac: float, bits: int) -> None:
            bar.progress(frac, text=T("progress.sweep", bits=bits))

        rows, seconds = lab.sweep(start, splits(), int(epochs), tick, lab.SWEEP_BITS)
        st.session_state[SWEEP] = {
            "rows": rows,
            "fp32": lab.test_accuracy(start, splits()),
            "seconds": seconds,
        }
        bar.progress(1.0, text=T("progress.done", seconds=seconds))
    sw = st.session_state.get(SWEEP)
    if sw is None:
        st.caption(T("sweep_none"))
        return
    rows = " · ".join(
        T("sweep_row", bits=r["bits"], ptq=100 * r["ptq"], qat=100 * r["qat"]) for r in sw["rows"]
    )
    figure(viz.sweep(sw["rows"], sw["fp32"], T), T("sweep_summary", rows=rows), key="qat_fig_sweep")


@safe(T)
def show_histograms() -> None:
    """One layer's weights or activations, float against fake-quantized, in the session's (or shipped) QAT model."""
    st.subheader(T("hist_h"))
    st.markdown(T("hist_intro"))
    results = st.session_state.get(RESULTS, {})
    run = results.get("qat") or results.get("ptq")
    if run is not None:
        qmodel = run.model
        st.caption(
            T(f"hist_source.{'qat' if run is results.get('qat') else 'ptq'}", config=config_label(run.config))
        )
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
    lo, hi = h["scale"]
    scale = f"{lo:.5f}" if not h["per_channel"] else T("scale_range", lo=lo, hi=hi)
    figure(
        viz.histogram(h["float"], h["quant"], T, grid=h["grid"], log_y=kind == "activation"),
        T(
            "hist_summary",
            n=h["n"],
            levels=h["levels"],
            scale=scale,
            zp=h["zero_point"],
            clip=100 * h["clip_fraction"],
            mse=h["mse"],
        ),
        key="qat_fig_hist",
    )


@safe(T)
def show_trace() -> None:
    """Scale and zero point of every quantizer after each QAT epoch (0 = straight after calibration)."""
    st.subheader(T("trace_h"))
    st.markdown(T("trace_intro"))
    run = st.session_state.get(RESULTS, {}).get("qat")
    if run is None or not run.trace:
        st.caption(T("trace_none"))
        return
    names = dict.fromkeys(r["name"] for r in run.trace)
    rows = " · ".join(
        T(
            "trace_row",
            name=n,
            first=[r for r in run.trace if r["name"] == n][0]["scale"],
            last=[r for r in run.trace if r["name"] == n][-1]["scale"],
        )
        for n in names
    )
    figure(
        viz.qparam_trace(run.trace, T, run.frozen_at), T("trace_summary", summary=rows), key="qat_fig_trace"
    )


st.title(T("title"))
st.markdown(T("intro"))
cfg, fp32_epochs, qat_epochs = controls()
formula_box = st.container()  # filled after the buttons, so a run just finished shows its own numbers
safe(T)(run_buttons)(cfg, fp32_epochs, qat_epochs)
with formula_box:
    formula(cfg)
show_results(cfg)
show_sweep()
show_histograms()
show_trace()
note(T, "note")
