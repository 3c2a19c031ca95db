"""A classroom on one machine: 1, 10 and 30 simulated students on the explorer, then 30 pressing "Train" at once.

    python -m bench.classroom                  measure the working tree ("after") into bench/results/classroom.*
    python -m bench.classroom --setup before   measure the code before issue 13 (BEFORE_COMMIT)
    python -m bench.classroom --quick          3 students instead of 30: checks the benchmark runs, not the figures

Each setup is measured as a newcomer runs it: the code is copied to a fresh folder, `python -m venv
--system-site-packages .venv` is made INSIDE it (what made Streamlit's file watcher expensive) and the server is
`.venv/bin/python -m streamlit run app.py` with the folder's own `.streamlit/config.toml`. The server runs on CPU
0 (taskset), the students on CPU 1: `bench.st_client` speaks Streamlit's websocket protocol, one asyncio loop
for the whole class. Server CPU-seconds come from /proc/<pid>/stat (the server and every process under it),
resident memory is sampled from /proc every 0.2 s (the largest sum of the server and its children).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from bench.common import ROOT, budget, machine, summary
from bench.st_client import Student

TITLE = "Classroom (simulated students over Streamlit's websocket)"
BEFORE_COMMIT = "7ff0882"  # the code as issue 13 found it
RESULTS = ROOT / "bench" / "results"
EXPLORER, QAT = "Scale_and_zero_point", "QAT_training"
ZP = "zero point z"  # explorer metric: 64 at 8 bits, 32 at 7 (range -2..6, asymmetric)
QAT_DONE = "QAT test accuracy"  # QAT page metric: "—" until the run is done, then "95.6 %"
SERVER_CPU, CLIENT_CPU = {0}, {1}
TICK = os.sysconf("SC_CLK_TCK")
TIMEOUT = 600.0  # a bound on every wait: a setup that slow is reported as such, not waited for forever


# ---- the server and its processes


def _children(pid: int) -> list[int]:
    """Every process under pid (workers, helpers), from /proc/<pid>/task/*/children."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                kids = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            out += kids
            todo += kids
    return out


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of processes and everything under them (finished children included), in seconds."""
    total = 0.0
    for pid in pids:
        for p in [pid, *_children(pid)]:
            try:
                f = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += sum(int(x) for x in f[11:15]) if p == pid else int(f[11]) + int(f[12])
    return total / TICK


def rss_mb(pids: list[int]) -> float:
    """Resident memory of processes and everything under them, in MB."""
    total = 0
    for p in [q for pid in pids for q in (pid, *_children(pid))]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


class PeakMemory:
    """The largest resident memory of pids and their children, sampled every `every` seconds in a with-block."""

    def __init__(self, pid: list[int], every: float = 0.2) -> None:
        self.pid, self.every, self.peak = pid, every, 0.0
        self._stop = threading.Event()

    def __enter__(self) -> PeakMemory:
        self.peak = rss_mb(self.pid)
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(self.every):
            self.peak = max(self.peak, rss_mb(self.pid))

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb(self.pid))


def checkout(setup: str, dest: Path) -> None:
    """The code of a setup in dest: BEFORE_COMMIT for "before", else the working tree (tracked and new files)."""
    dest.mkdir(parents=True)
    if setup == "before":
        archive = subprocess.run(
            ["git", "archive", BEFORE_COMMIT], cwd=ROOT, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
        return
    files = (
        subprocess.run(
            ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True, check=True
        )
        .stdout.decode()
        .split("\0")
    )
    for f in filter(None, files):
        if (ROOT / f).is_file():
            (dest / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / f, dest / f)


@contextmanager
def server(folder: Path, log: Path, cpus: set[int] = SERVER_CPU, flags: tuple[str, ...] = ()):
    """`streamlit run app.py` from folder's .venv, pinned to cpus, plus flags; yields (ws base url, [pid])."""
    from tests.browser.server import free_port, stop, wait_healthy

    port = free_port()
    cmd = [
        "taskset",
        "-c",
        ",".join(map(str, sorted(cpus))),
        str(folder / ".venv" / "bin" / "python"),
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        *flags,
    ]
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, cwd=folder, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", proc, timeout=120)
        yield f"ws://127.0.0.1:{port}", [proc.pid]
    finally:
        stop(proc)


@contextmanager
def replicas(folder: Path, k: int, flags: tuple[str, ...] = ()):
    """deploy.classroom's K replicas (replica i on CPU i) behind nginx, from folder; yields (ws url, their pids)."""
    from deploy.classroom import classroom as room
    from deploy.classroom import free_port

    with room(k, free_port(), "127.0.0.1", pin=True, log_dir=RESULTS, extra_flags=flags, root=folder) as r:
        yield r.url.replace("http", "ws", 1), [p.pid for p in r.replicas] + [r.nginx.pid]


# ---- what the students do


def zp_is(value: str):
    return lambda run: run.metrics.get(ZP) == value


def finished(run) -> bool:
    return run.finished


async def open_all(base: str, n: int, page: str = EXPLORER) -> tuple[list[Student], list[float]]:
    """n students open the page at the same moment; each one's seconds until its number shows (and the run ends)."""
    students = [Student(base, page) for _ in range(n)]
    ready = zp_is("64") if page == EXPLORER else finished

    async def one(s: Student) -> float:
        t0 = time.monotonic()
        await s.open()
        t = await s.wait(ready, TIMEOUT)
        await s.wait(finished, TIMEOUT)
        return t - t0

    return students, list(await asyncio.gather(*(one(s) for s in students)))


async def move_all(students: list[Student], rounds: int) -> list[float]:
    """Every student presses the bits slider at the same moment (8 -> 7 -> 8 ...), `rounds` times; seconds each."""
    out = []
    for i in range(rounds):
        bits, zp = (7, "32") if i % 2 == 0 else (8, "64")

        async def one(s: Student, bits=bits, zp=zp) -> float:
            t0 = time.monotonic()
            await s.set("ex_bits", {"double_array_value": [bits]})
            t = await s.wait(zp_is(zp), TIMEOUT)
            await s.wait(finished, TIMEOUT)
            return t - t0

        out += await asyncio.gather(*(one(s) for s in students))
    return out


async def close_all(students: list[Student]) -> None:
    await asyncio.gather(*(s.close() for s in students))
    await asyncio.sleep(1.0)  # the server drops the sessions' runs


def _stats(seconds: list[float]) -> dict:
    """Median, p95 and max in seconds."""
    s = summary(seconds)
    return {
        "median_s": round(s["median_ms"] / 1000, 3),
        "p95_s": round(s["p95_ms"] / 1000, 3),
        "max_s": round(s["max_ms"] / 1000, 3),
    }


async def explorer_class(base: str, pid: list[int], n: int, rounds: int, repeat_open: int = 1) -> list[dict]:
    """n students open the explorer at once (repeat_open times), then move the slider together `rounds` times."""
    opens, cpu_open = [], 0.0
    with PeakMemory(pid) as mem:
        for r in range(repeat_open):
            c0 = cpu_seconds(pid)
            students, seconds = await open_all(base, n)
            cpu_open += cpu_seconds(pid) - c0
            opens += seconds
            if r < repeat_open - 1:
                await close_all(students)
        c0 = cpu_seconds(pid)
        moves = await move_all(students, rounds)
        cpu_move = cpu_seconds(pid) - c0
        exceptions = sum(len(s.run.exceptions) for s in students)
        await close_all(students)
    return [
        {
            "what": f"{n} open the explorer at once",
            "students": n,
            "cpu_s_per_action": round(cpu_open / len(opens), 3),
            **_stats(opens),
            "peak_rss_mb": round(mem.peak),
            "exceptions": exceptions,
        },
        {
            "what": f"{n} move the bits slider at once",
            "students": n,
            "cpu_s_per_action": round(cpu_move / len(moves), 3),
            **_stats(moves),
            "peak_rss_mb": round(mem.peak),
            "exceptions": exceptions,
        },
    ]


def training_workers(pid: list[int]) -> list[int]:
    """The training pool's worker processes under the server (`python -m ui.training_worker`)."""
    out = []
    for p in [q for top in pid for q in _children(top)]:
        try:
            if b"ui.training_worker" in Path(f"/proc/{p}/cmdline").read_bytes():
                out.append(p)
        except OSError:
            continue
    return out


async def train_class(base: str, pid: list[int], n: int, others: int, distinct: bool, how: str) -> list[dict]:
    """n students on the QAT page press "Run all three" at once; `others` keep moving the explorer slider.

    The press is the page's own: in the server's script thread before issue 13, in the server's training pool
    after (the student's page then polls its job with a fragment, which bench.st_client reruns as a browser
    does). distinct: every student with bit widths of their own (no two runs alike), else all with the page's
    defaults. The server's CPU is its own process's; the pool's workers (its children) are counted apart.
    """
    settings = [_settings(i if distinct else 0) for i in range(n)]
    with PeakMemory(pid) as mem:
        trainers, _ = await open_all(base, n, QAT)
        for s, (cfg, _, _) in zip(trainers, settings, strict=True):
            if (cfg.wbits, cfg.abits) != (8, 8):
                await s.set_many(
                    {
                        "qat_wbits": {"string_array_value": [str(cfg.wbits)]},
                        "qat_abits": {"string_array_value": [str(cfg.abits)]},
                    }
                )
                await s.wait(finished, TIMEOUT)
        watchers, _ = await open_all(base, others)
        done = asyncio.Event()
        moves: list[float] = []

        async def keep_moving(s: Student) -> None:
            i = 0
            while not done.is_set():
                bits, zp = (7, "32") if i % 2 == 0 else (8, "64")
                t0 = time.monotonic()
                await s.set("ex_bits", {"double_array_value": [bits]})
                moves.append(await s.wait(zp_is(zp), TIMEOUT) - t0)
                await s.wait(finished, TIMEOUT)
                i += 1
                await asyncio.sleep(0.5)  # a student looks at the new number before moving again

        async def press(s: Student) -> float:
            t0 = time.monotonic()
            await s.click("qat_btn_all")
            t = await s.wait(lambda r: r.finished and "%" in r.metrics.get(QAT_DONE, ""), TIMEOUT)
            return t - t0

        workers = training_workers(pid)
        c0, w0 = cpu_seconds(pid), cpu_seconds(workers)
        polls0 = sum(s.fragment_runs for s in trainers)
        movers = [asyncio.create_task(keep_moving(s)) for s in watchers]
        await asyncio.sleep(1.0)
        times = await asyncio.gather(*(press(s) for s in trainers))
        done.set()
        await asyncio.gather(*movers)
        wcpu = cpu_seconds(workers) - w0
        cpu = cpu_seconds(pid) - c0 - wcpu
        polls = sum(s.fragment_runs for s in trainers) - polls0
        exceptions = sum(len(s.run.exceptions) for s in trainers + watchers)
        await close_all(trainers + watchers)
    alike = f"{len(set(settings))} distinct settings" if distinct else "default settings"
    return [
        {
            "what": f"{n} press Train (Run all three) at once, {alike}, {how}",
            "students": n,
            "cpu_s_per_action": round(cpu / n, 3),  # the server's (its movers' reruns and the polls included)
            "worker_cpu_s_per_run": round(wcpu / len(set(settings)), 3) if workers else "",
            **_stats(times),
            "peak_rss_mb": round(mem.peak),
            "exceptions": exceptions,
            "polls": polls,
        },
        {
            "what": f"meanwhile, {others} others move the slider ({alike}, {how})",
            "students": others,
            **_stats(moves),
            "moves": len(moves),
        },
    ]


def _settings(i: int) -> tuple:
    """The i-th student's (Config, fp32 epochs, QAT epochs): 0 is the page's defaults, others all different."""
    from lessons.qat_training import lesson as lab

    if i == 0:
        return (lab.Config(), lab.FP32_EPOCHS, lab.QAT_EPOCHS)
    combos = [(w, a) for w in lab.BITS for a in lab.BITS if (w, a) != (8, 8)]
    w, a = combos[(i - 1) % len(combos)]
    return (lab.Config(wbits=w, abits=a), lab.FP32_EPOCHS, lab.QAT_EPOCHS)


async def classroom(
    base: str, pid: list[int], quick: bool, how: str, only_train: bool = False, train_students: int = 30
) -> list[dict]:
    """Warm the server up, then the explorer at 1, 10, 30 students, then the Train presses."""
    warm, _ = await open_all(base, 1)
    await move_all(warm, 2)
    q, _ = await open_all(base, 1, QAT)  # page 4's first visit also starts the training pool
    await close_all(warm + q)
    await asyncio.sleep(0 if how == IN_SERVER else 10)  # the pool's workers start and warm up, as in class
    rows = []
    if not only_train:
        rows = await explorer_class(base, pid, 1, rounds=10, repeat_open=5)
        for n in (3,) if quick else (10, 30):
            rows += await explorer_class(base, pid, n, rounds=2 if quick else 4)
    n, others = (3, 2) if quick else (train_students, 5)
    for distinct in (False, True):
        rows += await train_class(base, pid, n, others, distinct, how)
    return rows


IN_SERVER = "in the server (the page before)"


def measure(
    setup: str,
    quick: bool,
    flags: tuple[str, ...] = (),
    k: int = 1,
    train_workers: int | None = None,
    train_cpus: str = ",".join(map(str, sorted(CLIENT_CPU))),
    only_train: bool = False,
    train_students: int = 30,
) -> dict:
    """One setup, from a fresh copy with a .venv inside (plus streamlit flags; k > 1: replicas behind nginx).

    The server's training pool gets `train_workers` workers (default: ui.training's, the cores but one) on
    `train_cpus` (default: the CPU the server is not pinned to, the one the light simulated students use)."""
    from ui.training import pool_workers

    workers = train_workers or pool_workers()
    env = {"QLAB_TRAIN_WORKERS": str(workers), "QLAB_TRAIN_CPUS": train_cpus}
    how = (
        IN_SERVER
        if setup == "before"
        else f"in the page's training pool ({workers} worker(s), CPU {train_cpus})"
    )
    saved = {v: os.environ.get(v) for v in env}
    os.environ.update(env)
    with tempfile.TemporaryDirectory(prefix=f"classroom-{setup}-") as tmp:
        folder = Path(tmp) / "app"
        checkout(setup, folder)
        subprocess.run(
            [sys.executable, "-m", "venv", "--system-site-packages", str(folder / ".venv")], check=True
        )
        log = RESULTS / f"classroom-{setup}.log"
        RESULTS.mkdir(exist_ok=True)
        os.sched_setaffinity(0, CLIENT_CPU)
        try:
            with server(folder, log, flags=flags) if k == 1 else replicas(folder, k, flags) as (base, pid):
                t0 = time.monotonic()
                rows = asyncio.run(classroom(base, pid, quick, how, only_train, train_students))
                seconds = time.monotonic() - t0
        finally:
            os.sched_setaffinity(0, set(range(os.cpu_count())))
            for v, old in saved.items():
                os.environ.pop(v) if old is None else os.environ.__setitem__(v, old)
    return {
        "setup": setup,
        "quick": quick,
        "machine": machine(),
        "seconds": round(seconds),
        "rows": rows,
        "flags": list(flags),
        "replicas": k,
        "train_workers": workers,
        "train_cpus": train_cpus,
        "only_train": only_train,
    }


# ---- the targets of issue 13, read off a setup's rows


def _row(rows: list[dict], what: str) -> dict:
    return next(r for r in rows if r["what"] == what)


def targets(rows: list[dict]) -> list[dict]:
    """The issue's target rows as budgets (seconds, MB) from one setup's rows (the pool's rows where measured)."""
    n = max(r["students"] for r in rows)
    explorer = any("open the explorer" in r["what"] for r in rows)  # not in a --only-train run
    out = (
        []
        if not explorer
        else [
            budget(
                "server CPU per warm explorer page open (1 student)",
                _row(rows, "1 open the explorer at once")["cpu_s_per_action"],
                0.15,
                "s",
            ),
            budget(
                "server CPU per slider move (1 student)",
                _row(rows, "1 move the bits slider at once")["cpu_s_per_action"],
                0.04,
                "s",
            ),
            budget(
                f"{n} open the explorer at once: the last one sees numbers",
                _row(rows, f"{n} open the explorer at once")["max_s"],
                10,
                "s",
            ),
            budget(
                f"{n} move a slider at once: p95 action -> number",
                _row(rows, f"{n} move the bits slider at once")["p95_s"],
                1,
                "s",
            ),
        ]
    )
    trains = [r for r in rows if "press Train" in r["what"]]
    others = [r for r in rows if "others move" in r["what"]]
    for train, other in zip(trains, others, strict=True):
        how = (
            train["what"].split(" at once", 1)[1].lstrip(", ")
            or "default settings, in the server (the page today)"
        )
        out += [
            budget(
                f"{train['students']} press Train at once: everyone's run done ({how})",
                train["max_s"],
                60,
                "s",
            ),
            budget(f"meanwhile, the others' slider p95 ({how})", other["p95_s"], 1.5, "s"),
        ]
    out.append(
        budget(
            f"resident memory with {n} sessions (server and workers)",
            max(r.get("peak_rss_mb", 0) for r in rows),
            1500,
            "MB",
        )
    )
    return out


def render(results: dict) -> str:
    """bench/results/classroom.md: the targets for every setup side by side, then each setup's rows."""
    setups = results["setups"]
    names = list(setups)
    out = [
        "# Classroom benchmark",
        "",
        "Written by `python -m bench.classroom` (see its docstring for how it "
        "measures); figures in `classroom.json`.",
        "",
    ]
    for name in names:
        s = setups[name]
        m = s["machine"]
        out.append(
            f"- **{name}**: {s.get('description', '')} Measured {m['date']}, load average "
            f"{m['load_average'][0]} at the end, {s['seconds']} s in all."
            + (" Quick run." if s["quick"] else "")
        )
    tables = {name: {b["target"]: b for b in targets(setups[name]["rows"])} for name in names}
    order = list(dict.fromkeys(t for table in tables.values() for t in table))
    out += [
        "",
        "## Targets of issue 13",
        "",
        "| target | " + " | ".join(names) + " | limit |",
        "|---|" + "---|" * (len(names) + 1),
    ]
    for target in order:
        b = next(t[target] for t in tables.values() if target in t)
        cells = [
            f"{t[target]['measured']:g} {b['unit']} {t[target]['verdict']}" if target in t else "—"
            for t in tables.values()
        ]
        out.append(f"| {target} | " + " | ".join(cells) + f" | ≤ {b['limit']:g} {b['unit']} |")
    for name in names:
        rows = setups[name]["rows"]
        keys = [
            "students",
            "cpu_s_per_action",
            "worker_cpu_s_per_run",
            "median_s",
            "p95_s",
            "max_s",
            "peak_rss_mb",
            "exceptions",
            "polls",
        ]
        out += [
            "",
            f"## {name}",
            "",
            "| what | " + " | ".join(k.replace("_", " ") for k in keys) + " |",
            "|---|" + "---|" * len(keys),
        ]
        out += ["| " + r["what"] + " | " + " | ".join(str(r.get(k, "")) for k in keys) + " |" for r in rows]
    out += [
        "",
        "*cpu s per action*: the server's CPU-seconds (all its processes) over the round, divided by the "
        "actions in it (in the Train rows the others' slider reruns are in it too); *worker cpu s per run*: the "
        "training pool's workers, per run trained. Times are seconds from the action (the websocket message "
        "sent) to the number (the metric's delta received); *peak rss mb*: the largest sum of the server's and "
        "its workers' resident memory in the scenario.",
    ]
    for note in results.get("notes", []):
        out += ["", note]
    return "\n".join(out) + "\n"


DESCRIPTIONS = {
    "before": f"the code as issue 13 found it ({BEFORE_COMMIT}): the file watcher on (Streamlit's default), a "
    ".venv inside the folder.",
    "after": "the working tree with its `.streamlit/config.toml` (file watcher, runOnSave and runner.postScriptGC "
    "off); a .venv inside the folder, as before.",
}


def save(result: dict, name: str, description: str) -> dict:
    """Merge one setup into bench/results/classroom.json and rewrite classroom.md."""
    path = RESULTS / "classroom.json"
    results = json.loads(path.read_text()) if path.exists() else {"setups": {}}
    results["setups"][name] = {**result, "description": description}
    path.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    (RESULTS / "classroom.md").write_text(render(results))
    return results


def run(quick: bool = False) -> dict:
    """The section of `python -m bench`: the working tree's figures against the issue's targets."""
    result = measure("after", quick)
    if not quick:
        save(result, "after", DESCRIPTIONS["after"])
    return {
        "title": TITLE,
        "rows": result["rows"],
        "budgets": targets(result["rows"]),
        "notes": ["Before / after and every setup: bench/results/classroom.md."],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.classroom", description=__doc__.splitlines()[0])
    ap.add_argument("--setup", default="after", choices=sorted(DESCRIPTIONS))
    ap.add_argument("--name", help="the name to record it under (default: the setup's)")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument(
        "--flags", default="", help="extra `streamlit run` flags, e.g. '--runner.postScriptGC false'"
    )
    ap.add_argument("--replicas", type=int, default=1, help="K > 1: deploy.classroom's replicas behind nginx")
    ap.add_argument("--train-workers", type=int, help="the training pool's workers (default: cores but one)")
    ap.add_argument("--train-cpus", default="1", help="the workers' CPUs, e.g. '1' or '0,1' (default: 1)")
    ap.add_argument("--only-train", action="store_true", help="the Train rows only (no explorer rounds)")
    ap.add_argument("--train-students", type=int, default=30, help="students pressing Train (default 30)")
    args = ap.parse_args(argv)
    result = measure(
        args.setup,
        args.quick,
        tuple(args.flags.split()),
        args.replicas,
        args.train_workers,
        args.train_cpus,
        args.only_train,
        args.train_students,
    )
    name = (args.name or args.setup) + (" (quick)" if args.quick else "")
    what = DESCRIPTIONS[args.setup] + (f" Flags: `{args.flags}`." if args.flags else "")
    if args.replicas > 1:
        what += (
            f" {args.replicas} replicas behind nginx (deploy/), replica i on CPU i; the students share CPU 1."
        )
    results = save(result, name, what)
    print(render(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
