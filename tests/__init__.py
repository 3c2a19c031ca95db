"""The test suite: library/ (qlib), lessons/ (lesson numbers, figures, strings), app/ (pages in AppTest),
browser/ (the real server in chromium), bench/ (the benchmark's own machinery)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the repository


def digest(model) -> str:
    """sha256 over a model's numbers (an nn.Module's state dict, or an Int8Model's integer layers): equal
    digests before and after show that nothing changed the model."""
    import hashlib

    import torch

    h = hashlib.sha256()
    if isinstance(model, torch.nn.Module):
        tensors = [v for _, v in sorted(model.state_dict().items())]
    else:
        tensors = [getattr(layer, f) for layer in model.layers for f in ("w_q", "w_scale", "bias", "b_q")]
    for v in tensors:
        h.update(v.detach().contiguous().numpy().tobytes())
    return h.hexdigest()
