"""Browser benchmark: what a person waits for in chromium, timed inside the page where it can be.

`python -m bench.browser` prints the section as JSON; `run(quick=True)` is the smoke version (under a minute).
Three figures: a slider key press until the explorer's metric changes, a cold `streamlit run` until the home
page's title is drawn, and a digit upload on the predict page until both top-k tables show it.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import statistics
import time

from bench.common import budget, summary
from tests.browser.server import CHROMIUM_ARGS, free_port, serve, start_server, stop, wait_healthy
from tests.browser.util import ARTIFACTS, exceptions_on, wait_idle

TITLE = "Browser (Playwright + chromium)"
VIEWPORT = {"width": 1440, "height": 1000}
ZP = "zero point z"  # the explorer metric the slider test watches
COUNTS = ("reruns", "upload_requests")  # breakdown parts that are counts, not milliseconds
USER_FLAGS: tuple[str, ...] = ()  # the repo's .streamlit/config.toml as a person gets it (no test flags)

# Before any page script: performance.now() of every websocket send (to set chromium's network clock against the
# page's), main-thread long tasks, and the app's script state (data-test-script-state, which Streamlit's own e2e
# tests wait on) going back to notRunning after a measured event.
HOOK = """
window.__bench = {sends: [], long: [], start: null, dom: null, frame: null, done: null, ran: false};
const send = WebSocket.prototype.send;
WebSocket.prototype.send = function (d) { window.__bench.sends.push(performance.now()); return send.call(this, d); };
new PerformanceObserver(l => window.__bench.long.push(...l.getEntries().map(e => [e.startTime, e.duration])))
  .observe({type: 'longtask'});
new MutationObserver(() => {
  const b = window.__bench, state = document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState;
  if (b.start === null) return;
  if (state === 'running') b.ran = true;
  else if (state === 'notRunning' && b.ran && b.done === null) b.done = performance.now();
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
"""

# Arm one measurement: `event` (captured on document) starts the clock, `ready()` true in the DOM stops it.
ARM = """
([event, ready]) => {
  const b = window.__bench, ok = new Function(ready);
  Object.assign(b, {start: null, dom: null, frame: null, done: null, ran: false, sends: [], long: []});
  performance.clearResourceTimings();
  const obs = new MutationObserver(() => {
    if (b.start === null || b.dom !== null || !ok()) return;
    b.dom = performance.now();
    obs.disconnect();
    requestAnimationFrame(() => { b.frame = performance.now(); });  // the next frame: style, layout, paint follow
  });
  obs.observe(document.body, {subtree: true, childList: true, characterData: true});
  document.addEventListener(event, () => { b.start = performance.now(); }, {capture: true, once: true});
}
"""
FINISHED = (
    "() => window.__bench.dom !== null && window.__bench.frame !== null && window.__bench.done !== null"
)

METRIC_IS = """
for (const m of document.querySelectorAll('[data-testid="stMetric"]')) {
  const label = m.querySelector('[data-testid="stMetricLabel"]');
  if (label && label.textContent.trim() === %s)
    return m.querySelector('[data-testid="stMetricValue"]')?.textContent.trim() === %s;
}
return false;
"""
TABLES_SHOW = """
const t = [...document.querySelectorAll('[data-testid="stDataFrame"] table')];
return t.length >= 2 && !!t[0].rows[1]?.textContent.startsWith(%s) && !!t[1].rows[1]?.textContent.startsWith(%s);
"""


def _rounded(s: dict) -> dict:
    """A summary with its milliseconds rounded to 0.1."""
    return {k: round(v, 1) if isinstance(v, float) else v for k, v in s.items()}


class Frames:
    """Websocket frames as chromium's network stack saw them (CDP Network events), decoded as Streamlit's protobufs.

    Their timestamps are network arrival / departure, independent of a busy main thread. `take(page_sends)` sets
    them on the page's performance.now() clock: the n-th frame sent is the n-th send the page's hook recorded.
    """

    def __init__(self, page) -> None:
        self.cdp, self.log = page.context.new_cdp_session(page), []
        for kind in ("Sent", "Received"):
            self.cdp.on(f"Network.webSocketFrame{kind}", lambda e, kind=kind: self.log.append((kind, e)))
        self.cdp.send("Network.enable")

    def clear(self) -> None:
        """Forget the frames seen so far."""
        self.log.clear()

    def take(self, page_sends: list[float]) -> list[tuple[str, float, object]]:
        """(Sent | Received, page-clock ms, BackMsg | ForwardMsg) of the binary frames since clear(); then clear."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        frames = [
            (
                kind,
                1000 * e["timestamp"],
                (BackMsg if kind == "Sent" else ForwardMsg).FromString(
                    base64.b64decode(e["response"]["payloadData"])
                ),
            )
            for kind, e in self.log
            if e["response"]["opcode"] == 2
        ]
        self.clear()
        sent = [t for kind, t, _ in frames if kind == "Sent"]
        offset = statistics.median(c - p for c, p in zip(sent, page_sends, strict=False)) if sent else 0.0
        return [(kind, t - offset, msg) for kind, t, msg in frames]


def first(frames: list, kind: str, test, after: float = float("-inf")) -> float:
    """Page-clock time of the first frame of `kind` after `after` for which test(msg) holds."""
    return next(t for k, t, m in frames if k == kind and t >= after and test(m))


def element(msg, kind: str, test=lambda e: True) -> bool:
    """Whether a ForwardMsg is a delta drawing an element of `kind` (e.g. "metric") for which test(element) holds."""
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return False
    e = msg.delta.new_element
    return e.WhichOneof("type") == kind and test(getattr(e, kind))


def is_type(name: str):
    """A test for a message of protobuf oneof type `name` (e.g. "script_finished", "rerun_script")."""
    return lambda m: m.WhichOneof("type") == name


def busy(b: dict, end: float) -> float:
    """Milliseconds of main-thread long tasks (> 50 ms each) between the measured event and `end`."""
    return sum(min(s + d, end) - max(s, b["start"]) for s, d in b["long"] if s < end and s + d > b["start"])


def _new_page(browser):
    """A fresh context (empty cache, en-US, 1440×1000) and its page, with the timing hook installed."""
    ctx = browser.new_context(locale="en-US", viewport=VIEWPORT)
    ctx.add_init_script(HOOK)
    return ctx, ctx.new_page()


def _measure(page, frames: Frames, event: str, ready_js: str, act) -> tuple[dict, list]:
    """Arm the in-page timer, do `act()`, wait for the DOM to be ready and the rerun to end; the page's marks, frames."""
    page.evaluate(ARM, [event, ready_js])
    frames.clear()
    act()
    page.wait_for_function(FINISHED, timeout=60_000, polling=20)
    page.wait_for_timeout(
        250
    )  # let the figures finish drawing (and the last CDP events arrive) before going on
    b = page.evaluate(
        "() => ({...window.__bench, uploads: performance.getEntriesByType('resource')"
        ".filter(e => e.name.includes('/_stcore/upload_file')).map(e => [e.startTime, e.responseEnd])})"
    )
    return b, frames.take(b["sends"])


def _timeline(b: dict, fr: list, sent: float, delta: float) -> dict[str, float]:
    """Where the time between a rerun BackMsg (sent) and the awaited delta's arrival, then the DOM, went (ms).

    The run that drew the delta starts with its new_session message and ends with script_finished; reruns counts
    the runs the server started after the event.
    """
    run = max(t for k, t, m in fr if k == "Received" and t <= delta and is_type("new_session")(m))
    return {
        "backmsg_to_run_start": run - sent,
        "run_start_to_delta": delta - run,
        "delta_to_dom": b["dom"] - delta,
        "long_tasks_to_dom": busy(b, b["dom"]),
        "dom_to_next_frame": b["frame"] - b["dom"],
        "server_run": first(fr, "Received", is_type("script_finished"), delta) - run,
        "reruns": sum(k == "Received" and t >= b["start"] and is_type("new_session")(m) for k, t, m in fr),
    }


def _add(parts: dict[str, list[float]], figures: dict[str, float]) -> None:
    """Append one event's figures to the lists of the breakdown."""
    for k, v in figures.items():
        parts.setdefault(k, []).append(v)


def _row(what: str, marks: list[dict], parts: dict[str, list[float]], one_run: bool = True) -> dict:
    """A result row: event -> DOM summary, event -> next frame and -> whole run done (median / p95), the breakdown.

    "run done" is the page's script state back to notRunning: every element of the rerun, figures included, in
    the DOM (one_run=False leaves it out: with two reruns per event it would mark the first one's end).
    """
    frame = summary([(b["frame"] - b["start"]) / 1000 for b in marks])
    row = {
        "what": what,
        **_rounded(summary([(b["dom"] - b["start"]) / 1000 for b in marks])),
        "next_frame_median_ms": round(frame["median_ms"], 1),
        "next_frame_p95_ms": round(frame["p95_ms"], 1),
    }
    if one_run:
        done = summary([(b["done"] - b["start"]) / 1000 for b in marks])
        row.update(run_done_median_ms=round(done["median_ms"], 1), run_done_p95_ms=round(done["p95_ms"], 1))
    return {**row, **_medians(parts)}


def _medians(parts: dict[str, list[float]]) -> dict[str, float]:
    """Row figures: the median of each part of a breakdown ("<part>_median_ms"; counts as "<part>_median")."""
    return {
        f"{k}_median" if k in COUNTS else f"{k}_median_ms": round(statistics.median(v), 1)
        for k, v in parts.items()
    }


def _note(prefix: str, parts: dict[str, list[float]]) -> str:
    """The breakdown as one line of notes."""
    return (
        prefix
        + ", ".join(f"{k.replace('_', ' ')} {statistics.median(v):.0f}" for k, v in parts.items())
        + " (medians, ms)"
    )


def slider_latency(page, base: str, presses: int, warmup: int = 2) -> tuple[dict, list[str]]:
    """Explorer page: bits slider key press (keydown, captured on document) -> "zero point z" shows its new value.

    Both ends are performance.now() in the page; a MutationObserver stops the clock, the next animation frame
    after it is reported too. The presses alternate ArrowLeft / ArrowRight (8 -> 7 -> 8 bits: z 64 -> 32 -> 64).
    The websocket frames split each press: frontend (key -> rerun BackMsg), server (BackMsg -> the run starts ->
    the metric's delta), rendering (delta -> DOM, main-thread long tasks).
    """
    page.goto(f"{base}/Scale_and_zero_point", timeout=90_000)
    wait_idle(page)
    frames = Frames(page)
    slider = page.locator('[data-testid="stSlider"] input[type="range"]').first
    ready = METRIC_IS % (json.dumps(ZP), "%s")
    if not page.evaluate(f"() => {{ {ready % json.dumps('64')} }}"):
        raise RuntimeError("the explorer's default view does not show zero point 64")
    marks: list[dict] = []
    parts: dict[str, list[float]] = {}
    for i in range(warmup + presses):
        key, expect = (("ArrowLeft", "32"), ("ArrowRight", "64"))[i % 2]
        b, fr = _measure(
            page, frames, "keydown", ready % json.dumps(expect), lambda key=key: slider.press(key)
        )
        if i < warmup:
            continue
        marks.append(b)
        sent = first(fr, "Sent", is_type("rerun_script"), b["start"])
        delta = first(
            fr,
            "Received",
            lambda m, v=expect: element(m, "metric", lambda e: (e.label, e.body) == (ZP, v)),
            sent,
        )
        _add(parts, {"key_to_backmsg": sent - b["start"], **_timeline(b, fr, sent, delta)})
    row = _row("explorer: bits slider key press -> zero-point metric updated", marks, parts)
    return row, [
        _note("slider split: ", parts),
        "slider: Streamlit 1.67's slider commits a keyboard step on keydown (react-aria's onChangeEnd; no "
        "debounce, keyup plays no part) and sends the rerun BackMsg after a setTimeout(0): no debounce floor, "
        f"the frontend's share is {row['key_to_backmsg_median_ms']:.0f} ms",
        "slider: the budget is the metric's DOM update; the browser paints it at the next frame "
        f"({row['next_frame_median_ms']:.0f} ms median, p95 {row['next_frame_p95_ms']:.0f} ms), after the "
        "long main-thread task that draws the deltas arriving with it, the page's three plotly charts among "
        f"them; every element of the rerun is in the page after {row['run_done_median_ms']:.0f} ms "
        "(run done). When the charts came from the server hundreds of ms after the metric, the metric "
        "painted alone first and the charts later; now they arrive together and are drawn in one task",
    ]


def cold_start(browser, runs: int) -> tuple[dict, list[str]]:
    """A fresh `streamlit run app.py` (user config) -> health ok -> page.goto(base) in a fresh context -> home h1 visible.

    Clock: Python's monotonic; /_stcore/health polled every 10 ms. The browser is launched beforehand and not
    counted. "Idle" is the app's script state back to notRunning after the first run. The websocket frames split
    the page's part: the frontend loaded and connected (navigation -> first BackMsg), then the first script run.
    """
    totals: list[float] = []
    parts: dict[str, list[float]] = {}
    for i in range(runs):
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        ctx, page = _new_page(browser)
        frames = Frames(page)
        t0 = time.monotonic()
        proc = start_server(port, ARTIFACTS / f"bench-cold-{i}.log", USER_FLAGS)
        try:
            wait_healthy(url, proc, poll=0.01)
            t1 = time.monotonic()
            page.goto(url, timeout=90_000, wait_until="commit")
            page.locator('[data-testid="stMain"] h1').first.wait_for(state="visible", timeout=90_000)
            t2 = time.monotonic()
            page.wait_for_selector(
                '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=90_000
            )
            t3 = time.monotonic()
            page.wait_for_timeout(100)  # the last CDP events
            fr = frames.take(page.evaluate("() => window.__bench.sends"))
        finally:
            ctx.close()
            stop(proc)
        totals.append(t2 - t0)
        sent = first(fr, "Sent", is_type("rerun_script"))
        title = first(fr, "Received", lambda m: element(m, "heading"), sent)
        run = max(t for k, t, m in fr if k == "Received" and t <= title and is_type("new_session")(m))
        _add(
            parts,
            {
                "process_to_healthy": 1000 * (t1 - t0),
                "healthy_to_title": 1000 * (t2 - t1),
                "process_to_idle": 1000 * (t3 - t0),
                "navigation_to_first_backmsg": sent,  # the page clock starts at the navigation
                "backmsg_to_run_start": run - sent,
                "run_start_to_title_delta": title - run,
                "server_first_run": first(fr, "Received", is_type("script_finished"), title) - run,
            },
        )
    row = {
        "what": "cold start: streamlit run -> home title drawn",
        **_rounded(summary(totals)),
        **_medians(parts),
    }
    notes = [
        _note("cold start split: ", parts),
        "cold start: a new server process and a new browser context (empty cache) per run; the OS file cache "
        "is warm after the first run, so this is a process-cold, not a disk-cold, start",
    ]
    return row, notes


def _digits(n: int) -> list[tuple[bytes, str, str]]:
    """n test digits whose fp32 and int8 top-1 both differ from the previous one's: (png, fp32 row, int8 row).

    A row is the first cell texts of a top-k table, "<id><name>" (e.g. "7seven"): so each upload is a new answer.
    """
    from qlib.decode import class_names
    from tests.browser.test_load import digit_png

    names, out, last, i = class_names("en"), [], (None, None), 0
    while len(out) < n:
        data, f, q = digit_png(i)
        i += 1
        if f != last[0] and q != last[1]:
            out.append((data, f"{names.index(f)}{f}", f"{names.index(q)}{q}"))
            last = (f, q)
    return out


def predict_upload(page, base: str, runs: int, warmup: int = 1) -> tuple[dict, list[str]]:
    """Predict page, upload mode: set_input_files (its change event) -> fp32 and int8 top-k tables show the new digit.

    Both ends are performance.now() in the page: the clock stops when the first row of both tables (glide's
    accessible table) names the new digit's top-1 class; consecutive digits have different answers, so each
    upload replaces the previous one (the first upload, onto an empty uploader, is the warm-up). Split: change ->
    the upload requests done (resource timing), -> rerun BackMsg, -> the second table's delta, -> DOM.
    """
    page.goto(f"{base}/Predict", timeout=90_000)
    wait_idle(page)
    page.locator('[data-testid="stRadio"] label', has_text="Upload").first.click()
    wait_idle(page)
    frames = Frames(page)
    upload = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    marks: list[dict] = []
    parts: dict[str, list[float]] = {}
    for i, (data, f, q) in enumerate(_digits(warmup + runs)):
        files = [{"name": f"digit-{i}.png", "mimeType": "image/png", "buffer": data}]
        b, fr = _measure(
            page,
            frames,
            "change",
            TABLES_SHOW % (json.dumps(f), json.dumps(q)),
            lambda files=files: upload.set_input_files(files=files),
        )
        if i < warmup:
            continue
        marks.append(b)
        done = max(end for _, end in b["uploads"])
        sent = first(fr, "Sent", is_type("rerun_script"), done - 5)
        table = [t for k, t, m in fr if k == "Received" and t >= sent and element(m, "dataframe")][-1]
        _add(
            parts,
            {
                "change_to_upload_requests_done": done - b["start"],
                "upload_done_to_backmsg": sent - done,
                "upload_requests": len(b["uploads"]),
                **_timeline(b, fr, sent, table),
            },
        )
    row = _row("predict: upload a digit -> fp32 and int8 top-k tables shown", marks, parts, one_run=False)
    return row, [
        _note("predict split: ", parts),
        "predict: replacing the file of a single-file st.file_uploader deletes the old one first (an HTTP "
        "DELETE and a rerun without a file, which removes the tables) and then PUTs the new one (a second "
        f"rerun draws them again): {row['upload_requests_median']:.0f} requests, {row['reruns_median']:.0f} "
        "reruns per upload (medians)",
    ]


def run(quick: bool = False) -> dict:
    """All three measurements (quick: 3 presses, 1 cold start, 2 uploads); the benchmark's browser section."""
    from playwright.sync_api import sync_playwright

    load = os.getloadavg()
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS, headless=True
        )
        try:
            cold, cold_notes = cold_start(browser, 1 if quick else 3)
            with serve("bench-browser.log", USER_FLAGS) as (base, _, _):
                ctx, page = _new_page(browser)
                try:
                    slider, slider_notes = slider_latency(page, base, 3 if quick else 30)
                    predict, predict_notes = predict_upload(page, base, 2 if quick else 10)
                    errors = exceptions_on(page)
                finally:
                    ctx.close()
        finally:
            browser.close()
    if errors:
        raise RuntimeError(f"the app showed an exception during the benchmark: {errors}")
    return {
        "title": TITLE,
        "rows": [slider, cold, predict],
        "budgets": [
            budget("explorer slider -> metric, median", slider["median_ms"], 250, "ms"),
            budget("cold start -> home title, median", cold["median_ms"], 5000, "ms"),
            budget("predict upload -> both top-k tables, median", predict["median_ms"], 1000, "ms"),
        ],
        "notes": [
            *slider_notes,
            *cold_notes,
            *predict_notes,
            "in-page times: performance.now() from the keydown / change event (captured on document) to a "
            "MutationObserver; websocket frames from chromium's network events (CDP), set on the page clock by "
            "the BackMsg sends (CDP's Network domain is on while measuring); cold start: Python monotonic time",
            f"load average (1, 5, 15 min) {[round(x, 2) for x in load]} before, "
            f"{[round(x, 2) for x in os.getloadavg()]} after; {os.cpu_count()} CPUs shared by the server, chromium, "
            "Playwright and other jobs",
        ],
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2, ensure_ascii=False))
