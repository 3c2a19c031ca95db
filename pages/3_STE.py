"""Lesson 3: rounding has no useful gradient; the straight-through estimator lets training go on anyway."""

import streamlit as st

from lessons.common.text import real, sci
from lessons.ste import figures, lesson
from lessons.ste import questions as q
from ui.questions import ask
from ui.shell import figure, note, page_end, safe, setup_page
from ui.url_state import Choice, Fields, Float, Int

URL = Fields(
    Int("bits", "ste_bits", 3, 2, 8),
    Int("fit_bits", "ste_fit_bits", 3, 2, 8),
    Float("target", "ste_fit_target", 0.8, -1.0, 1.0),
    Choice("lr", "ste_fit_lr", 0.5, (0.05, 0.1, 0.2, 0.5, 1.0)),
    Choice("cnn_bits", "ste_cnn_bits", 8, (2, 3, 4, 6, 8)),
)
T = setup_page("ste", url=URL)


@st.cache_data(max_entries=16, show_spinner=False)
def curves(bits: int) -> lesson.Curves:
    return lesson.curves(bits)


@st.cache_data(max_entries=64, show_spinner=False)
def fit(bits: int, target: float, lr: float) -> lesson.Fit:
    return lesson.fit_both(bits, target, lr)


@st.cache_data(max_entries=16, show_spinner=False)
def grad_norms(bits: int) -> lesson.GradNorms:
    return lesson.grad_norms(bits)


st.title(T("title"))
st.markdown(T("intro"))


@st.fragment
@safe(T)
def forward_and_backward() -> None:
    """Forward and backward of fake quant, side by side."""
    st.subheader(T("curves_h"))
    bits = st.slider(T("bits"), 2, 8, 3, key="ste_bits", help=T("bits_help"))
    c = curves(bits)
    args = c.text_args()
    a, b = st.columns(2)  # right under the slider: a projector shows both charts with it
    with a:
        figure(figures.ste_forward(c, T), T("forward_summary", **args), key="ste_fig_fwd")
    with b:
        figure(figures.ste_backward(c, T), T("backward_summary", **args), key="ste_fig_bwd")
    for f in c.formulas:
        st.latex(f)
    st.caption(T("formula_note"))
    st.markdown(T.join(T("grid_note", **args), T(c.rounding_key, **args)))


ask(T, q.TRUE_GRAD)
forward_and_backward()


@st.fragment
@safe(T)
def one_d_fit() -> None:
    """y = w·x with a fake-quantized w: learns with the STE, stalls without."""
    st.subheader(T("fit_h"))
    st.markdown(T("fit_text"))
    a, b, c = st.columns(3)
    bits = a.slider(T("fit_bits"), 2, 8, 3, key="ste_fit_bits")
    target = b.slider(T("fit_target"), -1.0, 1.0, 0.8, 0.05, key="ste_fit_target")
    lr = c.select_slider(T("fit_lr"), (0.05, 0.1, 0.2, 0.5, 1.0), 0.5, key="ste_fit_lr")
    f = fit(bits, target, lr)
    w_ste, w_no = real(f.ste.w[-1], ".3f"), real(f.no_ste.w[-1], ".3f")
    left, right = st.columns(2)  # side by side on a wide screen, one above the other on a phone
    with left:
        figure(figures.fit_loss(f, T), T("fit_loss_summary"), key="ste_fig_fit")
    with right:
        summary = T("fit_summary", w_ste=w_ste, w_no=w_no, target=real(target, "g"))
        figure(figures.fit_weight(f, T), summary, key="ste_fig_fit_w")
    m = st.columns(4)
    m[0].metric(T("m.w_ste"), w_ste, help=T("m.wq", wq=real(f.ste.w_q[-1], ".3f")))
    m[1].metric(T("m.loss_ste"), sci(f.ste.loss[-1]))
    m[2].metric(T("m.w_no"), w_no, help=T("m.wq", wq=real(f.no_ste.w_q[-1], ".3f")))
    m[3].metric(T("m.loss_no"), sci(f.no_ste.loss[-1]))


ask(T, q.FIT)
one_d_fit()


@st.fragment
@safe(T)
def cnn() -> None:
    """The tiny CNN's weight gradients on one batch: the STE passes them, the true gradient is zero."""
    st.subheader(T("cnn_h"))
    st.markdown(T("cnn_text"))
    bits = st.select_slider(T("cnn_bits"), (2, 3, 4, 6, 8), 8, key="ste_cnn_bits")
    g = grad_norms(bits)
    figure(
        figures.grad_norms(g, T),
        T(
            "cnn_summary",
            layers=T.listed(g.layers),
            biggest=f"{g.largest_ste:.3g}",
            none=f"{g.largest_no_ste:.3g}",
        ),
        key="ste_fig_cnn",
    )
    st.caption(T("cnn_source", loss=f"{g.loss:.3f}"))


ask(T, q.CNN)
cnn()

st.subheader(T("why_h"))
for k in ("gradients", "dynamics", "hardware", "gain"):
    st.markdown(T(f"why.{k}"))

with st.expander(T("common.libraries_say"), expanded=True):
    note(T, "note.clip")
    note(T, "note.observers")

page_end(T)
