"""ui.sessions: a session is alive while the runtime lists it; outside a server it counts as alive."""

from streamlit.testing.v1 import AppTest

from ui import sessions


def test_outside_a_server_a_session_counts_as_alive():
    assert sessions.current_session_id() is None
    assert sessions.is_alive("no-such-session") and sessions.alive_check("x")()


def test_a_script_run_knows_its_session_id():
    def script():
        import streamlit as st

        from ui.sessions import current_session_id, is_alive

        sid = current_session_id()
        st.write(f"id={bool(sid)} alive={is_alive(sid)}")

    at = AppTest.from_function(script).run()
    assert at.markdown[0].value == "id=True alive=True"
