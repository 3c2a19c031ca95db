"""Quantization Lab: the home page. Run with `streamlit run app.py`."""

import streamlit as st

from lessons.home import figures
from ui.shell import PAGES, page_end, setup_page, warm_up

T = setup_page("home")


def lesson_map() -> None:
    """The map of the lessons: a link to each page and one line on what it teaches."""
    for pid, path, icon in PAGES[1:]:
        left, right = st.columns([1, 2], vertical_alignment="center")  # a long Japanese name fits at 1280 px
        left.page_link(path, label=T(f"common.page.{pid}"), icon=icon)
        right.markdown(T(f"map.{pid}"))


st.title(T("title"))
st.markdown(T("tagline"))

st.header(T("what_h"))
st.markdown(T("what"))
st.latex(figures.QUANT_FORMULA)
st.caption(T("formula_caption"))

st.header(T("why_h"))
for col, k in zip(st.columns(3), ("size", "hw", "cost"), strict=True):
    col.metric(T(f"metric_{k}"), T(f"metric_{k}_value"), border=True)
    col.caption(T(f"metric_{k}_help"))

st.header(T("map_h"))
lesson_map()

st.header(T("flow_h"))
# the loop stacked, beside its words: drawn left to right it spans the page and its text shrinks to 8 px
words, picture = st.columns([2, 3], vertical_alignment="center")
words.markdown(T("flow_intro"))
words.caption(T("flow_summary"))
with picture.container(key="home_flow"):
    st.graphviz_chart(figures.qat_flow_dot(T), width="stretch")
for col, (pid, path, icon) in zip(st.columns(2), PAGES[1:3], strict=True):  # where to begin: lesson 1 or 2
    col.page_link(path, label=T(f"start.{pid}"), icon=icon)
page_end(T)
warm_up()  # last: torch loads in the background while the class reads this page, not while it is drawn
