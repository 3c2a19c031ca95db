"""Photo benchmark (issue 14): accuracy on seeded photos of digits, per condition, fp32 and int8, before and after.

    python -m bench.photos                 everything (about 5 minutes on 2 cores), writes bench/results/photos.*
    python -m bench.photos --quick         6 photos a condition, no retraining: checks the benchmark runs
    python -m bench.photos --sheet x.png   also writes a contact sheet of the corpus and the 8x8 each became
    python -m bench.photos --render        rewrites photos.md from photos.json (no measuring)

Rows: the corpus's conditions (bench/photo_corpus.py). Columns, each for fp32 and the int8 model (qat-w8a8 on
qlib's integer engine):
  before      the pipeline before issue 14 (qlib/data.py at BEFORE_COMMIT, read from git) + the shipped models
  new         qlib.data.to_model_input now + the shipped models
  augmented   qlib.data.to_model_input now + fp32 and QAT w8a8 retrained on the training split plus printed
              digits (qlib.printed) with qlib.augment (in memory; assets/models is not touched)
and qlib.verdict's rule on the digit photos (false rejections) and on the corpus's non-digit pictures.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from bench import photo_corpus as corpus
from bench.common import ROOT, machine
from qlib import pretrained
from qlib.model import predict

BEFORE_COMMIT = "7ff08826158683dfbb097a9c1e3f8c6565c57e21"  # h-photo's base: the 8x8 path before issue 14
RESULTS = Path(__file__).resolve().parent / "results"
TARGETS = {"overall_fp32": 0.95, "int8_gap": 0.01, "worst_condition": 0.85, "false_rejections": 0.02}


def before_pipeline() -> Callable:
    """to_model_input as it was at BEFORE_COMMIT: that commit's qlib/data.py, read from git, as its own module."""
    src = subprocess.run(
        ["git", "show", f"{BEFORE_COMMIT}:qlib/data.py"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    mod = types.ModuleType("qlib_data_before")
    exec(compile(src, f"qlib/data.py@{BEFORE_COMMIT[:7]}", "exec"), mod.__dict__)
    return mod.to_model_input


@dataclass(frozen=True)
class Inputs:
    """What one pipeline made of the corpus: the model inputs and its CPU time per picture."""

    x: torch.Tensor  # N x 1 x 8 x 8
    cpu_ms: float


def run_pipeline(photos: list[corpus.Photo], pipeline: Callable) -> Inputs:
    """Every picture through the pipeline, timed in CPU seconds (the machine is shared: wall time is noise)."""
    t0 = time.process_time()
    x = torch.cat([pipeline(p.image) for p in photos])
    return Inputs(x, 1000 * (time.process_time() - t0) / len(photos))


def style_group(style: str) -> str:
    """Handwriting-like, or printed in a font family qlib.printed trains on (DejaVu, Liberation) or not (Noto)."""
    if style == "hand":
        return "handwriting-like"
    return (
        "printed, Noto CJK (family unseen in training)"
        if style.startswith("Noto")
        else "printed, DejaVu / Liberation"
    )


def scores(photos: list[corpus.Photo], x: torch.Tensor, models: dict[str, Callable]) -> dict:
    """Accuracy overall, per condition and per kind of digit for each model: {model: {"overall": a, ...}}."""
    y = torch.tensor([p.label for p in photos])
    cond = np.array([p.condition for p in photos])
    group = np.array([style_group(p.style) for p in photos])
    out = {}
    for name, model in models.items():
        ok = (predict(model, x).argmax(1) == y).numpy()
        out[name] = {
            "overall": float(ok.mean()),
            "by_condition": {c: float(ok[cond == c].mean()) for c in dict.fromkeys(cond)},
            "by_group": {g: float(ok[group == g].mean()) for g in sorted(set(group))},
            "group_n": {g: int((group == g).sum()) for g in sorted(set(group))},
        }
    return out


def shipped_models() -> dict[str, Callable]:
    """The models the app ships: fp32 and the QAT w8a8 integer model."""
    return {"fp32": pretrained.load("fp32"), "int8": pretrained.load("qat-w8a8")}


def augmented_models() -> tuple[dict[str, Callable], dict]:
    """fp32 and QAT w8a8 retrained with issue 14's recipe (qlib.train.shipped_data), in
    memory, and their accuracy on the digits test split (the targets: fp32 >= 97 %, int8 within 0.5 pt)."""
    from qlib import augment, printed, train
    from qlib.qat import QConfig

    splits, aug = train.shipped_data()
    t0 = time.process_time()
    fp32 = train.train_fp32(splits=splits, augment=aug)
    qat = train.train_qat(
        QConfig(8, 8, freeze_observers_after=3), init=fp32.model, splits=splits, augment=aug
    )
    info = {
        "fp32_test_acc": fp32.test_acc,
        "int8_test_acc": qat.test_acc,
        "cpu_seconds": round(time.process_time() - t0, 1),
        "recipe": augment.RECIPE.as_dict(),
        "printed": {
            "fonts": len(printed.TRAINING_FONTS),
            "variants": printed.VARIANTS,
            "samples": len(splits.train[1]) - 1077,
        },
        "targets": [
            {
                "target": "digits test: fp32 >= 97 %",
                "measured": 100 * fp32.test_acc,
                "ok": fp32.test_acc >= 0.97,
            },
            {
                "target": "digits test: QAT w8a8 within 0.5 pt of fp32",
                "measured": 100 * (qat.test_acc - fp32.test_acc),
                "ok": qat.test_acc >= fp32.test_acc - 0.005,
            },
        ],
    }
    return {"fp32": fp32.model, "int8": qat.int8}, info


def targets(s: dict) -> list[dict]:
    """The issue's targets on one column (pipeline + models), each with PASS / MISS."""
    fp, q = s["fp32"], s["int8"]
    worst = min(min(fp["by_condition"].values()), min(q["by_condition"].values()))
    return [
        {"target": "fp32 overall >= 95 %", "measured": 100 * fp["overall"], "ok": fp["overall"] >= 0.95},
        {
            "target": "int8 within 1 pt of fp32",
            "measured": 100 * (q["overall"] - fp["overall"]),
            "ok": q["overall"] >= fp["overall"] - TARGETS["int8_gap"],
        },
        {
            "target": "no condition below 85 % (fp32 and int8)",
            "measured": 100 * worst,
            "ok": worst >= TARGETS["worst_condition"],
        },
    ]


def run(quick: bool = False, retrain: bool = True, sheet: Path | None = None) -> dict:
    """Build the corpus, run every pipeline and model on it; returns the JSON record."""
    per = 6 if quick else corpus.PER_CONDITION
    t0 = time.process_time()
    photos = corpus.digit_photos(per_condition=per)
    build_s = time.process_time() - t0
    shipped = shipped_models()
    columns: dict[str, dict] = {}
    from qlib.photo import photo_steps
    from qlib.verdict import judge

    verdicts: list = []

    def new(img):  # qlib.data.to_model_input's path, keeping the stages for the verdict
        steps = photo_steps(img)
        verdicts.append(judge(steps))
        return steps.x

    made = {"before": run_pipeline(photos, before_pipeline()), "new": run_pipeline(photos, new)}
    non_digits = corpus.non_digit_photos(per_kind=6 if quick else corpus.PER_CONDITION)
    non_verdicts = [judge(photo_steps(p.image)) for p in non_digits]
    for name, inp in made.items():
        columns[name] = {"cpu_ms_per_photo": inp.cpu_ms, **scores(photos, inp.x, shipped)}
    training = None
    if retrain:
        models, training = augmented_models()
        columns["augmented"] = {
            "cpu_ms_per_photo": made["new"].cpu_ms,
            **scores(photos, made["new"].x, models),
        }
    if sheet is not None:
        write_sheet(photos, made["new"].x, sheet)
    return {
        "corpus": {
            "n": len(photos),
            "per_condition": per,
            "seed": corpus.SEED,
            "fingerprint": corpus.fingerprint(photos),
            "cpu_seconds_to_build": round(build_s, 1),
        },
        "conditions": list(dict.fromkeys(p.condition for p in photos)),
        "columns": columns,
        "targets": {name: targets(col) for name, col in columns.items()},
        "verdict": verdict_figures(photos, verdicts, non_digits, non_verdicts),
        "training": training,
        "machine": machine(),
    }


def verdict_figures(photos, verdicts, non_digits, non_verdicts) -> dict:
    """How qlib.verdict's rule does: digits wrongly rejected (target <= 2 %), non-digits rejected, per kind."""
    from qlib.verdict import rejection_rate

    wrong = [
        (p.condition, p.label, p.style, v.reason)
        for p, v in zip(photos, verdicts, strict=True)
        if not v.is_digit
    ]
    kinds = list(dict.fromkeys(p.condition for p in non_digits))
    by_kind = {}
    for k in kinds:
        vs = [v for p, v in zip(non_digits, non_verdicts, strict=True) if p.condition == k]
        by_kind[k] = {
            "rejected": rejection_rate(vs),
            "n": len(vs),
            "reasons": {r: sum(v.reason == r for v in vs) for r in sorted({v.reason for v in vs})},
        }
    fr = rejection_rate(verdicts)
    return {
        "false_rejections": fr,
        "false_rejected": wrong,
        "non_digits": by_kind,
        "non_digits_rejected": rejection_rate(non_verdicts),
        "target": {"target": "digit photos rejected <= 2 %", "measured": 100 * fr, "ok": fr <= 0.02},
    }


def write_sheet(photos: list[corpus.Photo], x: torch.Tensor, path: Path) -> None:
    """A contact sheet: every 3rd photo beside the 8x8 the pipeline made of it."""
    from PIL import Image

    from qlib.data import digit_to_image

    pairs = []
    for p, xi in list(zip(photos, x, strict=True))[::3]:
        pairs.append(p)
        pairs.append(
            corpus.Photo(digit_to_image(xi, size=64, margin=4).convert("RGB"), p.label, "8x8", p.style)
        )
    corpus.contact_sheet(pairs, columns=12, thumb=96).save(path)
    Image.open(path).verify()


def _pct(v: float) -> str:
    return f"{100 * v:.1f}"


def render(r: dict) -> str:
    """The Markdown report: the per-condition table, the targets, the retrained models' test accuracy."""
    cols = list(r["columns"])
    head = "| condition | n | " + " | ".join(f"{c} fp32 | {c} int8" for c in cols) + " |"
    lines = [
        "# Photo benchmark (issue 14)\n",
        f"Corpus: {r['corpus']['n']} photos, seed {r['corpus']['seed']}, "
        f"fingerprint `{r['corpus']['fingerprint']}` (bench/photo_corpus.py). Accuracy in %.\n",
        "before = the pipeline before issue 14 + shipped models; new = qlib.data.to_model_input now + shipped "
        "models; augmented = new pipeline + fp32 and QAT w8a8 retrained on the digits plus printed digits "
        "(qlib.printed) with qlib.augment (in memory, not shipped).\n",
        head,
        "|---|---|" + "---|---|" * len(cols),
    ]
    n = r["corpus"]["per_condition"]
    for c in r["conditions"] + ["overall"]:
        cells = []
        for col in cols:
            for m in ("fp32", "int8"):
                s = r["columns"][col][m]
                cells.append(_pct(s["overall"] if c == "overall" else s["by_condition"][c]))
        label = f"**{c}**" if c == "overall" else c
        lines.append(f"| {label} | {r['corpus']['n'] if c == 'overall' else n} | " + " | ".join(cells) + " |")
    groups = list(r["columns"][cols[0]]["fp32"].get("by_group", {}))
    if groups:
        lines.append("\n| kind of digit | n | " + " | ".join(f"{c} fp32 | {c} int8" for c in cols) + " |")
        lines.append("|---|---|" + "---|---|" * len(cols))
        for g in groups:
            cells = [_pct(r["columns"][c][m]["by_group"][g]) for c in cols for m in ("fp32", "int8")]
            lines.append(
                f"| {g} | {r['columns'][cols[0]]['fp32']['group_n'][g]} | " + " | ".join(cells) + " |"
            )
    lines.append(
        "\nCPU ms per photo: " + ", ".join(f"{c} {r['columns'][c]['cpu_ms_per_photo']:.1f}" for c in cols)
    )
    lines.append("\n| column | target | measured | |\n|---|---|---|---|")
    for col, ts in r["targets"].items():
        for t in ts:
            lines.append(f"| {col} | {t['target']} | {t['measured']:.1f} | {'PASS' if t['ok'] else 'MISS'} |")
    v = r["verdict"]
    lines.append(
        f"\nIs it a digit? (qlib.verdict) Digit photos rejected: {_pct(v['false_rejections'])} % "
        f"({'PASS' if v['target']['ok'] else 'MISS'} <= 2 %). Non-digits rejected: "
        f"{_pct(v['non_digits_rejected'])} %.\n\n| non-digit | n | rejected % | reasons |\n|---|---|---|---|"
    )
    for k, d in v["non_digits"].items():
        reasons = ", ".join(f"{r} {n}" for r, n in d["reasons"].items())
        lines.append(f"| {k} | {d['n']} | {_pct(d['rejected'])} | {reasons} |")
    if r.get("training"):
        t = r["training"]
        lines.append(
            f"\nRetrained ({t['cpu_seconds']} CPU s) on the training split plus {t['printed']['samples']} printed "
            f"digits ({t['printed']['fonts']} font faces, none of the corpus's; qlib.printed), with qlib.augment: "
            f"digits test accuracy fp32 {_pct(t['fp32_test_acc'])} %, QAT w8a8 (integer engine) "
            f"{_pct(t['int8_test_acc'])} %. Augmentation: `{json.dumps(t['recipe'])}`."
        )
        for x in t["targets"]:
            lines.append(f"- {x['target']}: {x['measured']:.2f} {'PASS' if x['ok'] else 'MISS'}")
    m = r["machine"]
    lines.append(
        f"\nMachine: {m['cpus']} CPUs, load average {m['load_average']}, Python {m['python']}, "
        f"torch {m['torch']}, {m['date']}."
    )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.photos", description=__doc__.splitlines()[0])
    ap.add_argument(
        "--quick", action="store_true", help="6 photos a condition and no retraining (a smoke test)"
    )
    ap.add_argument("--no-retrain", action="store_true", help="skip the augmented models")
    ap.add_argument("--sheet", type=Path, help="write a contact sheet PNG of the corpus and its 8x8 inputs")
    ap.add_argument("--render", action="store_true", help="only rewrite photos.md from photos.json")
    args = ap.parse_args(argv)
    if args.render:
        md = render(json.loads((RESULTS / "photos.json").read_text()))
        (RESULTS / "photos.md").write_text(md)
        print(md)
        return 0
    torch.set_num_threads(1)
    r = run(quick=args.quick, retrain=not (args.quick or args.no_retrain), sheet=args.sheet)
    md = render(r)
    if not args.quick:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "photos.json").write_text(json.dumps(r, indent=1) + "\n")
        (RESULTS / "photos.md").write_text(md)
    print(md)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    sys.exit(main())
