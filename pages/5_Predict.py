"""Page 5, the finale: a person's digit (upload, camera or a test sample) through the fp32 and the int8 model."""

from __future__ import annotations

import random

import numpy as np
import streamlit as st
import torch

from lessons.predict import figures as viz
from lessons.predict.lesson import arrow, compare, from_upload, output_dequant
from qlib import pretrained
from qlib.data import UPLOAD_TYPES, ImageError, digit_to_image, display_image
from qlib.decode import class_names, decode_predictions
from qlib.model import predict
from qlib.pretrained import parse_name, quantized_names
from ui.shell import figure, note, safe, setup_page
from ui.widgets import digit_splits
from ui.widgets import shipped_model as model

T = setup_page("predict")


@st.cache_data(show_spinner=False)
def test_split() -> tuple[np.ndarray, np.ndarray]:
    """The test split as numpy (x: N×1×8×8 in [-1, 1], y: labels)."""
    x, y = digit_splits().test
    return x.numpy(), y.numpy()


def model_label(name: str) -> str:
    """'qat-w4a8' -> 'QAT · 4-bit weights, 8-bit activations' in the current language."""
    method, w, a = parse_name(name)
    return T("model.label", method=T(f"model.{method}"), w=w, a=a)


def _random_sample() -> None:
    """Button callback: jump to a random test sample."""
    st.session_state["predict_sample"] = random.randrange(len(test_split()[1]))


def choose_input() -> tuple[np.ndarray | None, object | None, int | None]:
    """The source widgets; returns (8×8 model input, the picture as given, true label if known).

    A file that can't be used gives (None, its ImageError, None) after its message is shown.
    """
    source = st.radio(
        T("source"),
        ("sample", "upload", "camera"),
        key="predict_source",
        horizontal=True,
        format_func=lambda s: T(f"source.{s}"),
    )
    if source == "sample":
        xs, ys = test_split()
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        i = c1.number_input(T("sample", n=len(ys) - 1), 0, len(ys) - 1, 0, step=1, key="predict_sample")
        c2.button(T("random"), key="predict_random", on_click=_random_sample, icon=":material/casino:")
        x = xs[int(i)]
        return x, digit_to_image(x), int(ys[int(i)])
    if source == "upload":
        up = st.file_uploader(
            T("upload"), type=list(UPLOAD_TYPES), key="predict_upload", help=T("upload_help")
        )
        return _from_bytes(up.getvalue()) if up is not None else (None, None, None)
    on = st.toggle(T("camera_on"), key="predict_camera_on", help=T("camera_help"))
    if not on:
        st.caption(T("camera_off"))
        return None, None, None
    shot = st.camera_input(T("camera"), key="predict_camera")
    return _from_bytes(shot.getvalue()) if shot is not None else (None, None, None)


def _from_bytes(data: bytes) -> tuple[np.ndarray | None, object, None]:
    """Upload or camera bytes -> (model input, picture); a bad file is a message in the current language."""
    try:
        x, img = from_upload(data)  # in memory only: nothing is written to disk
    except ImageError as err:
        st.error(T(f"common.image_error.{err.key}"), icon=":material/broken_image:")
        return None, err, None
    st.session_state["predict_image"] = (
        data  # for the integer-inference page (widget values don't cross pages)
    )
    return x.numpy()[0], img, None


@safe(T)
def show_input(x: np.ndarray, picture, label: int | None) -> None:
    """What the person gave and what the model sees: the 8×8 grid it was turned into."""
    st.subheader(T("sees_h"))
    c1, c2 = st.columns([1, 2])
    with c1:
        st.image(display_image(picture), caption=T("picture"), width=180)
        if label is not None:
            st.metric(T("true_label"), f"{label} · {class_names(T.lang)[label]}")
    with c2:
        figure(
            viz.digit(x, T, T("fig.grid_title")),
            T("fig.grid_summary", ink=int((x > 0).sum())),
            key="predict_fig_input",
        )


def _table(rows, moves: bool) -> list[dict]:
    """Rows of a top-k table in decode_predictions order (best first) with translated headers; int8 adds moves."""
    out = []
    for r in rows:
        row = {T("col.id"): r.class_id, T("col.name"): r.class_name, T("col.prob"): 100 * r.prob}
        if moves:
            row[T("col.move")] = f"{arrow(r.move)} (#{r.other_rank} → #{r.rank})"
        out.append(row)
    return out


def _show_table(rows, moves: bool, key: str) -> None:
    """One model's top-k as a dataframe; a percentage column drawn as a bar."""
    small = st.column_config.Column(width="small")
    st.dataframe(
        _table(rows, moves),
        hide_index=True,
        key=key,
        width="stretch",
        column_config={
            T("col.id"): small,
            T("col.name"): small,
            T("col.move"): small,
            T("col.prob"): st.column_config.ProgressColumn(
                format="%.4g %%", min_value=0, max_value=100, width="medium"
            ),
        },
    )


@safe(T)
def show_predictions(x: np.ndarray) -> None:
    """fp32 and int8 top-k side by side, the verdict, the probabilities of every class, the dequant formula."""
    st.subheader(T("models_h"))
    names = quantized_names(pretrained.available())
    c1, c2 = st.columns([2, 1])
    qname = c1.selectbox(T("model"), names, key="predict_model", format_func=model_label)
    top = c2.slider(T("top"), 1, 10, 5, key="predict_top")
    xt = torch.from_numpy(np.asarray(x, dtype=np.float32).reshape(1, 1, 8, 8))
    fz, qz = predict(model("fp32"), xt), predict(model(qname), xt)
    full_f = decode_predictions(fz, top=10, from_logits=True, lang=T.lang)[0]
    full_q = decode_predictions(qz, top=10, from_logits=True, lang=T.lang)[0]
    cmp = compare(full_f, full_q, top)
    verdict(cmp, model_label(qname))
    a, b = st.columns(2)
    with a:
        st.markdown(f"**{T('fp32')}**")
        _show_table(cmp.fp32, False, "predict_table_fp32")
    with b:
        st.markdown(f"**{model_label(qname)}**")
        _show_table(cmp.int8, True, "predict_table_int8")
    with st.expander(T("raw_h")):
        st.caption(T("raw_caption"))
        st.code(f"fp32 = {_raw(full_f[:top])}\nint8 = {_raw(full_q[:top])}", language="python")
    pf = [p for _, _, p in sorted(full_f)]
    pq = [p for _, _, p in sorted(full_q)]
    figure(
        viz.prob_bars(pf, pq, class_names(T.lang), T, model_label(qname)),
        T("fig.bars_summary", diff=100 * cmp.max_prob_diff, kl=cmp.kl),
        key="predict_fig_bars",
    )
    formula(model(qname), xt, cmp)


def _raw(decoded) -> str:
    """decode_predictions' rows as Python would print them, probabilities to 4 places."""
    return "[" + ", ".join(f"({c}, {n!r}, {p:.4f})" for c, n, p in decoded) + "]"


def verdict(cmp, qlabel: str) -> None:
    """Agreement made obvious: same answer and same order, same answer with rank changes, or a different answer."""
    f, q = cmp.fp32[0], cmp.int8[0]
    if cmp.agree_top1 and cmp.same_order:
        st.success(
            T("agree", id=f.class_id, name=f.class_name, k=len(cmp.fp32), model=qlabel),
            icon=":material/check_circle:",
        )
    elif cmp.agree_top1:
        moved = ", ".join(f"{r.class_id} ({arrow(r.move)})" for r in cmp.moved)
        st.info(
            T("agree_moved", id=f.class_id, name=f.class_name, moved=moved, model=qlabel),
            icon=":material/swap_vert:",
        )
    else:
        st.warning(
            T(
                "disagree",
                fid=f.class_id,
                fname=f.class_name,
                qid=q.class_id,
                qname=q.class_name,
                fp=100 * f.prob,
                qp=100 * q.prob,
                model=qlabel,
            ),
            icon=":material/warning:",
        )


def formula(qmodel, xt, cmp) -> None:
    """The int8 model's integer logit of its top class read back as a real number, then the softmax."""
    d = output_dequant(qmodel, xt, cmp.int8[0].class_id)
    st.markdown(f"**{T('common.formula')}**")
    if d is not None:
        zp = f"({d['zp']})" if d["zp"] < 0 else f"{d['zp']}"
        st.latex(
            rf"z_{{{cmp.int8[0].class_id}}} = s\,(q - z_p) = {d['scale']:.5f} \times ({d['q']} - {zp}) = {d['z']:.3f}"
        )
    st.latex(
        r"p_i = \frac{e^{z_i}}{\sum_{j=0}^{9} e^{z_j}} \;\Rightarrow\; p_{"
        + str(cmp.int8[0].class_id)
        + "} = "
        + f"{100 * cmp.int8[0].prob:.2f}"
        + r"\,\%"
    )
    st.caption(T("formula_caption"))


st.title(T("title"))
st.markdown(T("intro"))
x, picture, label = choose_input()
if x is not None:
    show_input(x, picture, label)
    show_predictions(x)
elif picture is None:  # nothing given yet (a bad file has already said what is wrong with it)
    st.info(T("waiting"), icon=":material/touch_app:")
note(T, "note")
