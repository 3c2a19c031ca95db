"""A light simulated student: Streamlit's websocket protocol spoken directly, no browser.

What the browser does (read off its frames in chromium, and Streamlit's `web/server/starlette/starlette_websocket.py`):
connect to `/_stcore/stream` with the subprotocol "streamlit" (its second entry would be the XSRF token, which only
guards the auth cookie), send a `BackMsg.rerun_script` with the page's name and `context_info`, and read the
`ForwardMsg`s of the run until `script_finished`. A widget change is another `rerun_script` carrying the widget's
new state under its element id (and, for a widget drawn by a fragment, that fragment's id from its delta: the
server then reruns the fragment alone), the page's `page_script_hash` (from the run's `navigation` message), the
URL's query string (from `page_info_changed`) and the hashes of the large messages already received (the server then sends a reference
instead of the message again). A keyed widget's id ends with `-<key>` (`_compute_element_id` in
`streamlit/elements/lib/utils.py`: "$$ID-<hash>-<key>"), so the client reads ids off the deltas by their key and
never recomputes the hash. A fragment with `run_every` (its `auto_rerun` message) is rerun as the browser does:
a `rerun_script` with its `fragment_id` and `is_auto_rerun` every interval (here: once the last run has ended),
until a full run starts or `stop_auto_rerun` names it. One asyncio loop runs a whole class: parsing a page of
protobufs costs about a millisecond, so the client is not the bottleneck.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

MAX_FRAME = 64 * 2**20  # the biggest page (charts and all) is far below this


@dataclass
class Run:
    """What one script run drew: metric values by label, widget ids by key, whether it ended, an exception."""

    metrics: dict[str, str] = field(default_factory=dict)
    widgets: dict[str, str] = field(default_factory=dict)
    finished: bool = False
    exceptions: list[str] = field(default_factory=list)
    messages: int = 0


class Student:
    """One browser tab: a websocket session on one page, its widgets, and what the last run showed."""

    def __init__(self, base_ws: str, page: str, locale: str = "en-US") -> None:
        self.url, self.page, self.locale = f"{base_ws}/_stcore/stream", page, locale
        self.ws = None
        self.page_hash = ""
        self.query = ""
        self.cached: set[str] = set()
        self.run = Run()
        self.widgets: dict[str, str] = {}  # key -> element id, from every run so far
        self.fragments: dict[str, str] = {}  # key -> the id of the fragment that drew the widget ("" if none)
        self._changed = asyncio.Event()
        self._reader: asyncio.Task | None = None
        self._timers: dict[str, asyncio.Task] = {}  # fragment id -> its auto-rerun loop
        self.fragment_runs = 0  # auto-reruns sent

    async def open(self) -> None:
        """Connect and ask for the page, as a browser tab does when it loads."""
        self.ws = await websockets.connect(
            self.url,
            subprotocols=["streamlit"],
            max_size=MAX_FRAME,
            compression=None,
            open_timeout=120,
            ping_interval=None,
        )
        self._reader = asyncio.create_task(self._read())
        await self._send_rerun()

    async def close(self) -> None:
        """Close the tab."""
        self._stop_timers()
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            self._reader.cancel()

    async def set(self, key: str, state: dict) -> None:
        """Change the widget with this key: state is one WidgetState field, e.g. {"double_array_value": [7]}."""
        await self.set_many({key: state})

    async def set_many(self, states: dict[str, dict]) -> None:
        """Change several widgets in one rerun, as a browser sends every widget's state: {key: state}. Widgets
        drawn by one fragment rerun that fragment alone, as in the browser (its `fragment_id` in the rerun)."""
        msg = BackMsg()
        fragment_ids = {self.fragments.get(key, "") for key in states}
        fragment = fragment_ids.pop() if len(fragment_ids) == 1 else ""
        msg.rerun_script.fragment_id = fragment
        for key, state in states.items():
            w = msg.rerun_script.widget_states.widgets.add()
            w.id = self.widgets[key]
            ((name, value),) = state.items()
            if isinstance(value, list):
                getattr(w, name).data.extend(value)
            else:
                setattr(w, name, value)
        await self._send_rerun(msg, fragment=bool(fragment))

    async def click(self, key: str) -> None:
        """Press the button with this key (a trigger value, true for one run)."""
        await self.set(key, {"trigger_value": True})

    async def wait(self, test, timeout: float) -> float:
        """Wait until test(run) holds for the current run; the monotonic time it first did."""
        deadline = time.monotonic() + timeout
        while not test(self.run):
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(
                    f"{self.page}: not seen within {timeout:.0f} s (metrics {self.run.metrics})"
                )
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), left)
            except TimeoutError:
                pass
        return time.monotonic()

    async def _auto_rerun(self, fragment_id: str, interval: float) -> None:
        """The browser's timer for a `run_every` fragment: rerun it every interval, once the last run ended."""
        while True:
            await asyncio.sleep(interval)
            if not self.run.finished:
                continue
            msg = BackMsg()
            msg.rerun_script.fragment_id = fragment_id
            msg.rerun_script.is_auto_rerun = True
            self.fragment_runs += 1
            await self._send_rerun(msg, fragment=True)

    def _stop_timers(self, ids=None) -> None:
        for fid in list(self._timers) if ids is None else ids:
            task = self._timers.pop(fid, None)
            if task is not None:
                task.cancel()

    async def _send_rerun(self, msg: BackMsg | None = None, fragment: bool = False) -> None:
        msg = msg or BackMsg()
        r = msg.rerun_script
        if self.page_hash:  # as the browser: the page by its name first, then by the hash the server gave it
            r.page_script_hash = self.page_hash
        else:
            r.page_name = self.page
        r.query_string = self.query
        r.cached_message_hashes.extend(sorted(self.cached))
        r.context_info.locale = self.locale
        r.context_info.timezone = "UTC"
        r.context_info.url = self.url.replace("/_stcore/stream", f"/{self.page}").replace("ws", "http", 1)
        if fragment:  # a fragment's run redraws only its own part: what the full run showed stays
            self.run.finished = False
        else:
            self._stop_timers()
            self.run = Run()
        await self.ws.send(msg.SerializeToString())

    async def _read(self) -> None:
        async for data in self.ws:
            if isinstance(data, bytes):
                self._handle(ForwardMsg.FromString(data))

    def _handle(self, m: ForwardMsg) -> None:
        kind = m.WhichOneof("type")
        run = self.run
        run.messages += 1
        if m.metadata.cacheable and m.hash:
            self.cached.add(m.hash)
        if kind == "new_session" and m.metadata.run.fragment_ids:  # a fragment's run: the rest stays
            run.finished = False
        elif kind == "new_session":  # a full run: its fragments set their timers anew
            self._stop_timers()
            self.run = run = Run()
        elif kind == "auto_rerun":
            fid = m.auto_rerun.fragment_id
            if fid not in self._timers:
                self._timers[fid] = asyncio.create_task(self._auto_rerun(fid, m.auto_rerun.interval))
        elif kind == "stop_auto_rerun":
            self._stop_timers(m.stop_auto_rerun.fragment_ids)
        elif kind == "navigation":  # the page being run (new_session names the main script)
            self.page_hash = m.navigation.page_script_hash
        elif kind == "page_info_changed":
            self.query = m.page_info_changed.query_string
        elif kind == "script_finished":
            run.finished = True
        elif kind == "delta" and m.delta.WhichOneof("type") == "new_element":
            el = m.delta.new_element
            et = el.WhichOneof("type")
            sub = getattr(el, et)
            if et == "metric":
                run.metrics[sub.label] = sub.body
            elif et == "exception":
                run.exceptions.append(f"{sub.type}: {sub.message}")
            key_id = getattr(sub, "id", "")
            if isinstance(key_id, str) and key_id.startswith("$$ID-"):
                key = key_id.split("-", 2)[2]
                run.widgets[key] = self.widgets[key] = key_id
                self.fragments[key] = m.delta.fragment_id
        self._changed.set()
