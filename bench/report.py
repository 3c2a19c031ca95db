"""bench/results.json as Markdown: the budgets with PASS / MISS, before and after, then every section's table."""

from __future__ import annotations

HEADLINE = (
    "script_median_ms",
    "median_ms",
    "total_ms",
    "seconds",
    "qlib_ms",
    "qlib_int8_ms",
)  # a row's main figure
ALSO = ("next_frame_median_ms", "run_done_median_ms")  # compared before / after too, where a row has them
HEADINGS = {
    "script_median_ms": "script median (ms)",
    "script_p95_ms": "script p95 (ms)",
    "roundtrip_median_ms": "AppTest round trip median (ms)",
    "roundtrip_p95_ms": "round trip p95 (ms)",
    "median_ms": "median (ms)",
    "p95_ms": "p95 (ms)",
    "min_ms": "min (ms)",
    "max_ms": "max (ms)",
    "seconds": "time (s)",
    "min_s": "min (s)",
    "max_s": "max (s)",
    "test_acc": "test accuracy",
    "qlib_ms": "qlib (ms)",
    "torch_ms": "PyTorch (ms)",
    "ratio": "qlib / PyTorch",
    "qlib_Mfloat_per_s": "qlib (M floats/s)",
    "qlib_int8_ms": "qlib int8 (ms)",
    "fp32_ms": "fp32 (ms)",
    "torch_int8_ms": "PyTorch int8 (ms)",
    "qlib_int8_per_image_us": "qlib int8 per image (µs)",
}

# What the profiles showed and what was changed (the commits say more); the figures are in the tables below.
FIXES = [
    "**Figures** (every chart): pyinstrument showed plotly's property validation taking 150 of the explorer's "
    "160 ms (≈ 50 ms a figure). Figures are now plain dicts wrapped once without validation (`qlib/plot.py`, ≈ 1 ms "
    "each); the tests validate every figure instead. The plotly_white template sent with each figure is trimmed to "
    "2-D charts: 7.2 KB → 1.6 KB.",
    "**Garbage collection after every rerun**: profiling the real server (AppTest skips this step) showed Streamlit's "
    "`runner.postScriptGC` full collection walking ~250,000 objects of torch, pandas and plotly: 60–120 ms a rerun, "
    "holding the GIL while the page's last messages waited. The warm-up thread now `gc.freeze()`s them once loaded.",
    "**Explorer**: `st.cache_data` hashed the settings and unpickled a copy of the result on every rerun (~5 ms); "
    "a plain LRU cache keyed by the frozen settings replaces it.",
    "**PyTorch page**: cProfile showed every sample change rebuilding PyTorch's quantized model (`prepare_qat` + "
    "`convert`, ≈ 150 ms); it is now built once per model (`st.cache_resource`).",
    "**Cold start**: the home page imported torch (2.4 s) for one LaTeX string; it now imports none, and torch "
    "loads in a background thread started after the home page is drawn.",
    "**fake_quant**: quantize → clamp → dequantize went through int64 temporaries (five full-size copies); it now "
    "works in place in one float32 buffer, exact for the same reason PyTorch's kernel is (integer codes below 2^24), "
    "and builds the STE mask only when a gradient is needed.",
    "**MSE observer** (QAT at 4 bits and below): its 40 candidate ranges were scored one call at a time; now in "
    "blocks with the same arithmetic per candidate. The nine shipped models retrain bit for bit.",
]


def heading(key: str) -> str:
    """A column heading: the named ones, else the key in words ("delta_to_dom_median_ms" -> "delta to dom median (ms)")."""
    if key in HEADINGS:
        return HEADINGS[key]
    for suffix, unit in (("_ms", " (ms)"), ("_s", " (s)")):
        if key.endswith(suffix):
            return key[: -len(suffix)].replace("_", " ") + unit
    return key.replace("_", " ")


def _fmt(key: str, v) -> str:
    """A figure for a table cell."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return str(v)
    if key == "test_acc":
        return f"{100 * v:.2f} %"
    if key == "ratio":
        return f"{v:.2f}×"
    if key == "n" or isinstance(v, int):
        return f"{v:,}"
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.1f}" if abs(v) >= 10 else f"{v:.2f}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(r) + " |" for r in rows),
    ]


def headline(row: dict) -> tuple[str, float] | None:
    """A row's main figure: (key, value)."""
    return next(((k, row[k]) for k in HEADLINE if isinstance(row.get(k), (int, float))), None)


def budgets(results: dict) -> list[str]:
    """Every section's budgets in one table."""
    rows = [
        [b["target"], f"{_fmt('', b['measured'])} {b['unit']}", f"≤ {b['limit']:g} {b['unit']}", b["verdict"]]
        for s in results["sections"].values()
        for b in s.get("budgets", [])
    ]
    return _table(["budget", "measured", "limit", ""], rows)


def before_after(results: dict, before: dict) -> list[str]:
    """Rows measured both in the baseline and now, by their main figure."""
    rows = []
    for name, section in results["sections"].items():
        old = {r["what"]: r for r in before.get("sections", {}).get(name, {}).get("rows", [])}
        for r in section.get("rows", []):
            was, main = old.get(r["what"], {}), headline(r)
            keys = ([main[0]] if main else []) + [k for k in ALSO if k in r]
            rows += [
                [r["what"], heading(k), _fmt(k, was[k]), _fmt(k, r[k]), f"{was[k] / r[k]:.1f}×"]
                for k in keys
                if isinstance(was.get(k), (int, float)) and r[k] > 0
            ]
    return _table(["what", "figure", "before", "after", "speed-up"], rows)


def section(s: dict) -> list[str]:
    """One section: a table for each kind of row (rows with the same figures share one), then its notes."""
    out = [f"## {s['title']}", ""]
    if "error" in s:
        return [*out, f"**Could not run:** `{s['error']}`", ""]
    groups: dict[tuple, list[dict]] = {}
    for r in s["rows"]:
        groups.setdefault(tuple(k for k in r if k not in ("what", "page")), []).append(r)
    for keys, rows in groups.items():
        if len(rows) == 1 and len(keys) > 8:  # one row of many figures reads better standing up
            out += [
                f"**{rows[0]['what']}**",
                "",
                *_table(["figure", "value"], [[heading(k), _fmt(k, rows[0][k])] for k in keys]),
                "",
            ]
        else:
            out += [
                *_table(
                    ["what", *(heading(k) for k in keys)],
                    [[r["what"], *(_fmt(k, r[k]) for k in keys)] for r in rows],
                ),
                "",
            ]
    return out + [*(f"- {n}" for n in s.get("notes", [])), ""]


def render(results: dict, before: dict | None = None) -> str:
    """The whole report."""
    m = results["machine"]
    out = [
        "# Performance benchmark",
        "",
        "Written by `python -m bench` (see `bench/__main__.py`); the figures are in `bench/results.json`.",
        "",
        f"Measured {m['date']} on {m['cpus']} CPUs (load average {m['load_average'][0]} at the end; the machine "
        f"is shared, so timings vary from run to run), Python {m['python']}, torch {m['torch']}, streamlit "
        f"{m['streamlit']}, plotly {m['plotly']}."
        + (" **Quick run: counts too small to trust.**" if results.get("quick") else ""),
        "",
        "## Budgets",
        "",
        *budgets(results),
        "",
    ]
    if before:
        b = before["machine"]
        out += [
            "## Before and after",
            "",
            f"Before: the same benchmark run on the code before these changes ({b['date']}, load average "
            f"{b['load_average'][0]}). What the profiles showed and what changed:",
            "",
            *(f"- {f}" for f in FIXES),
            "",
            *before_after(results, before),
            "",
        ]
    for s in results["sections"].values():
        out += section(s)
    return "\n".join(out).rstrip() + "\n"
