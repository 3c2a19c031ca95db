"""A paired A/B of one server setting: two servers side by side on CPU 0, the same actions interleaved.

    python -m bench.classroom_ab --a "--runner.postScriptGC true" --b "--runner.postScriptGC false"
    python -m bench.classroom_ab --a "" --b "" --a-dir /tmp/old-checkout   (two versions of the code, same flags)

On a shared machine the load drifts from minute to minute; interleaving one action on A, then the same on B,
cancels that drift, so the ratio of their server CPU-seconds is trustworthy where two runs minutes apart are not.
Each server first gets `--sessions` idle explorer sessions and one QAT session (a class connected), then
`--rounds` slider moves and a page open every fourth round, on each server in turn.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from bench.classroom import CLIENT_CPU, RESULTS, ROOT, SERVER_CPU, cpu_seconds, finished
from bench.st_client import Student
from tests.browser.server import free_port, start_server, stop, wait_healthy

EXPLORER = "Scale_and_zero_point"


async def _pair(
    servers: dict[str, tuple[int, int]], sessions: int, rounds: int
) -> dict[str, dict[str, float]]:
    tabs = {}
    for name, (port, pid) in servers.items():
        base = f"ws://127.0.0.1:{port}"
        idle = [Student(base, EXPLORER) for _ in range(sessions)] + [Student(base, "QAT_training")]
        for s in idle:
            await s.open()
        for s in idle:
            await s.wait(finished, 600)
        me = Student(base, EXPLORER)
        await me.open()
        await me.wait(finished, 600)
        tabs[name] = (me, base, pid)
    cpu = {n: {"move": 0.0, "open": 0.0} for n in servers}
    for i in range(rounds):
        for name, (me, base, pid) in tabs.items():
            c0 = cpu_seconds([pid])
            await me.set("ex_bits", {"double_array_value": [7 if i % 2 == 0 else 8]})
            await me.wait(finished, 600)
            cpu[name]["move"] += cpu_seconds([pid]) - c0
            if i % 4 == 0:
                c0 = cpu_seconds([pid])
                tab = Student(base, EXPLORER)
                await tab.open()
                await tab.wait(finished, 600)
                cpu[name]["open"] += cpu_seconds([pid]) - c0
                await tab.close()
    opens = len(range(0, rounds, 4))
    return {
        n: {"cpu_s_per_move": c["move"] / rounds, "cpu_s_per_open": c["open"] / opens} for n, c in cpu.items()
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.classroom_ab", description=__doc__.splitlines()[0])
    ap.add_argument("--a", default="--runner.postScriptGC true", help="streamlit flags of server A")
    ap.add_argument("--b", default="--runner.postScriptGC false", help="streamlit flags of server B")
    ap.add_argument("--a-dir", type=Path, default=ROOT, help="the app folder of server A (default: this one)")
    ap.add_argument("--b-dir", type=Path, default=ROOT, help="the app folder of server B (default: this one)")
    ap.add_argument("--sessions", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=40)
    args = ap.parse_args(argv)
    RESULTS.mkdir(exist_ok=True)
    os.sched_setaffinity(0, CLIENT_CPU)
    procs = {}
    try:
        for name, flags, folder in (("A", args.a, args.a_dir), ("B", args.b, args.b_dir)):
            port = free_port()
            log = RESULTS / f"classroom-ab-{name}.log"
            procs[name] = (port, start_server(port, log, tuple(flags.split()), cwd=folder))
            os.sched_setaffinity(procs[name][1].pid, SERVER_CPU)
        for port, p in procs.values():
            wait_healthy(f"http://127.0.0.1:{port}", p, timeout=120)
        figures = asyncio.run(
            _pair({n: (port, p.pid) for n, (port, p) in procs.items()}, args.sessions, args.rounds)
        )
    finally:
        for _, p in procs.values():
            stop(p)
    for name, flags, folder in (("A", args.a, args.a_dir), ("B", args.b, args.b_dir)):
        f = figures[name]
        print(
            f"{name} ({folder}, {flags or 'config.toml as is'}): {f['cpu_s_per_move']:.4f} s server CPU per "
            f"slider move, "
            f"{f['cpu_s_per_open']:.4f} s per page open, with {args.sessions + 1} sessions open"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
