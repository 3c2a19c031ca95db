"""Which browser session a script run belongs to, and whether it is still there: for work that outlives a run.

Streamlit 1.67 gives every browser tab a session id (`ScriptRunContext.session_id`); the runtime keeps the
sessions whose websocket is connected in its session manager (`Runtime.is_active_session`, backed by
`WebsocketSessionManager._active_session_info_by_id`). When the tab closes or its network drops,
`disconnect_session` removes the session from that map at once (it is kept aside for two minutes in case the
same tab reconnects, and then comes back under the same id). So "not active for a few seconds" is a session's
end; the training pool's `grace` rides out a reconnect. Outside a running server (bare mode; AppTest mocks the
runtime) nothing can be known, and a session counts as alive. tests/library/test_session_end.py shows it on a
real server.
"""

from __future__ import annotations

from collections.abc import Callable


def current_session_id() -> str | None:
    """The id of the browser session this script run serves (None outside a script run)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def is_alive(session_id: str) -> bool:
    """Whether the session's browser is still connected (True when there is no server to ask)."""
    from streamlit import runtime

    return not runtime.exists() or bool(runtime.get_instance().is_active_session(session_id))


def alive_check(session_id: str) -> Callable[[], bool]:
    """A no-argument check for ui.training_pool's `alive=`: safe to call from any thread, as the runtime's is."""
    return lambda: is_alive(session_id)
