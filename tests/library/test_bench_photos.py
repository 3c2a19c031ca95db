"""bench.photos keeps working: the 'before' pipeline loads from git, the report renders (figures: run it)."""

import subprocess

import pytest
import torch

from bench import photo_corpus as corpus
from bench import photos
from qlib.data import to_model_input


def test_the_before_pipeline_is_the_base_commits_and_differs_from_now():
    try:
        before = photos.before_pipeline()
    except (subprocess.CalledProcessError, FileNotFoundError) as err:  # a clone without that history
        pytest.skip(f"the base commit is not in this clone: {err}")
    img = corpus.digit_photo("shadow", 3).image
    x0, x1 = before(img), to_model_input(img)
    assert x0.shape == x1.shape == (1, 1, 8, 8) and not torch.equal(x0, x1)


def test_scores_targets_and_report():
    ps = [corpus.digit_photo("clean", i) for i in (0, 1)]
    x = photos.run_pipeline(ps, to_model_input).x
    always = lambda t: torch.nn.functional.one_hot(torch.tensor([0, 1]), 10).float()  # noqa: E731
    s = photos.scores(ps, x, {"fp32": always, "int8": always})
    assert s["fp32"]["overall"] == 1.0 and s["int8"]["by_condition"] == {"clean": 1.0}
    col = {"cpu_ms_per_photo": 1.0, **s}
    r = {
        "corpus": {"n": 2, "per_condition": 2, "seed": 14, "fingerprint": "f"},
        "conditions": ["clean"],
        "columns": {"new": col},
        "targets": {"new": photos.targets(col)},
        "verdict": {
            "false_rejections": 0.0,
            "target": {"ok": True},
            "non_digits_rejected": 1.0,
            "non_digits": {"blank": {"n": 1, "rejected": 1.0, "reasons": {"no_ink": 1}}},
        },
        "training": None,
        "machine": {"cpus": 2, "load_average": [1], "python": "3", "torch": "t", "date": "d"},
    }
    md = photos.render(r)
    assert "| clean | 2 | 100.0 | 100.0 |" in md and "fp32 overall >= 95 % | 100.0 | PASS" in md
