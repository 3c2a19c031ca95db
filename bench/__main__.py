"""`python -m bench`: measure the app's speed and write bench/results.md and bench/results.json.

python -m bench                      every section (about 5 minutes on 2 cores)
python -m bench --only reruns,kernels   re-measure some sections, keep the others from results.json
python -m bench --quick              tiny repeat counts: checks the benchmark runs, not the figures
python -m bench --baseline           write bench/baseline.json instead (run in an old checkout: "before")
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from pathlib import Path

from bench.common import machine
from bench.report import render

HERE = Path(__file__).resolve().parent
SECTIONS = (
    "reruns",
    "browser",
    "training",
    "kernels",
    "classroom",
)  # modules of bench/, each with run(quick) -> dict


def measure(names: list[str], quick: bool) -> dict:
    """Run the named sections; a section that fails is recorded with its error, the others still run."""
    out = {}
    for name in names:
        t0 = time.perf_counter()
        print(f"[bench] {name} …", file=sys.stderr, flush=True)
        try:
            out[name] = importlib.import_module(f"bench.{name}").run(quick=quick)
        except Exception as exc:  # a benchmark that cannot run says why in the report, it does not vanish
            out[name] = {"title": name, "error": f"{type(exc).__name__}: {exc}", "rows": [], "budgets": []}
        out[name]["seconds"] = round(time.perf_counter() - t0, 1)
        print(f"[bench] {name} done in {out[name]['seconds']} s", file=sys.stderr, flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    ap.add_argument(
        "--only", default=",".join(SECTIONS), help="comma-separated sections: " + ", ".join(SECTIONS)
    )
    ap.add_argument("--quick", action="store_true", help="tiny repeat counts (a smoke test)")
    ap.add_argument(
        "--baseline", action="store_true", help="write bench/baseline.json (the 'before' figures)"
    )
    args = ap.parse_args(argv)
    names = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = [n for n in names if n not in SECTIONS]
    if unknown:
        ap.error(f"unknown section(s) {unknown}; choose from {SECTIONS}")
    path = HERE / ("baseline.json" if args.baseline else "results.json")
    old = json.loads(path.read_text()) if path.exists() else {}
    results = {
        "machine": machine(),
        "quick": args.quick,
        "sections": {**old.get("sections", {}), **measure(names, args.quick)},
    }
    results["sections"] = {k: results["sections"][k] for k in SECTIONS if k in results["sections"]}
    path.write_text(json.dumps(results, indent=1) + "\n")
    if not args.baseline:
        baseline = HERE / "baseline.json"
        before = json.loads(baseline.read_text()) if baseline.exists() else None
        (HERE / "results.md").write_text(render(results, before))
        print((HERE / "results.md").read_text())
    return 0 if all("error" not in s for s in results["sections"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
