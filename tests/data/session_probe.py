"""A one-line app for tests/library/test_session_end.py: reports its session id, and when the session ends."""

import sys
import threading
import time
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from ui.sessions import alive_check, current_session_id  # noqa: E402

out = Path(st.query_params.get("out", "/nonexistent"))
sid = current_session_id()
if st.session_state.setdefault("watching", None) is None:
    st.session_state["watching"] = sid
    alive = alive_check(sid)

    def watch() -> None:
        (out / f"{sid}.started").write_text(str(alive()))
        while alive():
            time.sleep(0.1)
        (out / f"{sid}.ended").write_text("ended")

    threading.Thread(target=watch, daemon=True).start()
st.metric("session", "watched")
