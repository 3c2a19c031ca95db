"""One question on a lesson page: choose an answer, check it, read why, and let "show me" set the page to show it.

Layout only: the question (lessons/common/questions.py) says what is asked and what is right; its texts come
from the page's strings (`q.<id>.*`) and the shared labels (`common.q.*`). Nothing is scored or kept beyond
this session's state.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from lessons.common.questions import Question, WidgetValue
from lessons.i18n import Translator


def ask(T: Translator, q: Question) -> None:
    """Draw question `q` here: its options (none chosen), Check, then right or not, why, and "show me"."""
    page = T.namespace
    choice_key, checked_key = q.widget_key(page), "_" + q.widget_key(page, "checked")
    facts = dict(q.facts())

    def say(part: str) -> str:
        return T(q.key(part), **facts)

    with st.container(border=True, key=q.widget_key(page, "box")):
        st.markdown(f"**{T('common.q.label')}**")
        choice = st.radio(
            say("prompt"),
            q.options,
            index=None,
            key=choice_key,
            format_func=lambda o: say(f"opt.{o}"),
        )
        st.button(
            T("common.q.check"),
            key=q.widget_key(page, "check"),
            on_click=_check,
            args=(choice_key, checked_key),
            disabled=choice is None,
            help=T("common.q.check_help") if choice is None else None,
        )
        checked = st.session_state.get(checked_key)
        if checked is None or checked != choice:
            return
        right = q.answer()  # on this machine: PyTorch's kernels add differently with and without VNNI
        if checked == right:
            st.success(T("common.q.right"), icon=":material/check_circle:")
        else:
            st.warning(T("common.q.wrong", answer=say(f"opt.{right}")), icon=":material/lightbulb:")
        st.markdown(say(q.why_part()))
        if q.show:
            st.button(
                say("show"),
                key=q.widget_key(page, "show"),
                on_click=_show,
                args=(q.show,),
                icon=":material/visibility:",
                help=T("common.q.show_help"),
            )


def _check(choice_key: str, checked_key: str) -> None:
    """Check: remember which answer was checked (this session only), so changing it hides the verdict."""
    st.session_state[checked_key] = st.session_state.get(choice_key)


def _show(values: Mapping[str, WidgetValue]) -> None:
    """Show me: set the page's widgets (a callback runs before the script, so the widgets may be set)."""
    for key, value in values.items():
        st.session_state[key] = value
