"""The tiny float CNN for 8×8 digits, a seeded deterministic training loop with a per-epoch callback, accuracy.

TinyCNN: conv1 (1→16, 3×3, pad 1) + ReLU → conv2 (16→32, 3×3, stride 2, pad 1) + ReLU → flatten (32·4·4 = 512)
→ fc (512→10) logits. 9,930 parameters, no BatchNorm (nothing to fold before quantization).
`fit` also trains the fake-quantized models of `qlib.qat`: it calls their `start_epoch(epoch)` hook (observers
freeze there) and reports their current scale and zero point in each epoch's `EpochInfo`.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn


class TinyCNN(nn.Module):
    """Two conv + ReLU layers and a linear head; the weights are a pure function of `seed`."""

    def __init__(self, seed: int = 0) -> None:
        super().__init__()
        with torch.random.fork_rng(devices=[]):  # the layers' own default init must not move the global RNG
            self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
            self.conv2 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
            self.fc = nn.Linear(512, 10)
        reset_parameters(self, seed)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        return self.fc(torch.flatten(x, 1))


def reset_parameters(model: nn.Module, seed: int) -> None:
    """PyTorch's default init (kaiming uniform, a=√5, bias from fan_in) drawn from a private seeded generator."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for layer in (model.conv1, model.conv2, model.fc):
            nn.init.kaiming_uniform_(layer.weight, a=math.sqrt(5), generator=g)
            bound = 1.0 / math.sqrt(layer.weight[0].numel())
            layer.bias.uniform_(-bound, bound, generator=g)


def n_params(model: nn.Module) -> int:
    """Number of trainable float parameters."""
    return sum(p.numel() for p in model.parameters())


def fp32_nbytes(model: nn.Module) -> int:
    """Bytes of the float32 parameters: what the int8 model is compared against."""
    return 4 * n_params(model)


@dataclass
class EpochInfo:
    """What `fit` reports after each epoch (the app draws live curves from it)."""

    epoch: int  # 1-based
    epochs: int
    train_loss: float
    train_acc: float
    val_acc: float
    seconds: float  # this epoch's wall time
    elapsed: float  # since fit started
    lr: float
    quantizers: dict[str, dict] = field(default_factory=dict)  # QAT only: name -> {"scale", "zero_point", ...}

    def as_dict(self) -> dict:
        """Plain dict (for JSON, pandas, session state)."""
        return dict(self.__dict__)


@contextlib.contextmanager
def num_threads(n: int = 1) -> Iterator[None]:
    """Run a block on n intra-op threads, then restore: tiny tensors gain nothing from more, and on a busy
    machine extra threads spin and wait (40x slower measured with 2 threads on 2 loaded cores)."""
    old = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(old)


@torch.no_grad()
def predict(model: Callable, x: torch.Tensor, batch_size: int = 1024) -> torch.Tensor:
    """Logits of a model (float, fake-quantized or integer) in eval mode, batch by batch."""
    was_training = isinstance(model, nn.Module) and model.training
    if isinstance(model, nn.Module):
        model.eval()
    try:
        with num_threads(1):
            return torch.cat([model(x[i : i + batch_size]) for i in range(0, len(x), batch_size)])
    finally:
        if was_training:
            model.train()


def evaluate(model: Callable, x: torch.Tensor, y: torch.Tensor) -> float:
    """Top-1 accuracy in [0, 1]; ties go to the lowest class index, as argmax does."""
    return float((predict(model, x).argmax(1) == y).double().mean())


def _lr_at(step: int, total: int, lr: float, schedule: str) -> float:
    """Constant, or cosine from lr down to lr/100: big steps first, small steps to settle."""
    if schedule == "constant":
        return lr
    if schedule == "cosine":
        return lr * (0.01 + 0.99 * 0.5 * (1.0 + math.cos(math.pi * step / max(total, 1))))
    raise ValueError(f"schedule must be 'constant' or 'cosine', got {schedule!r}")


_threads = num_threads  # fit's argument of the same name shadows it


def fit(
    model: nn.Module,
    splits,
    epochs: int = 30,
    lr: float = 3e-3,
    batch_size: int = 32,
    seed: int = 0,
    callback: Callable[[EpochInfo], bool | None] | None = None,
    weight_decay: float = 0.0,
    schedule: str = "cosine",
    num_threads: int = 1,
    augment: Callable[[torch.Tensor, int], torch.Tensor] | None = None,
) -> list[EpochInfo]:
    """Adam on splits.train with seeded shuffling; `callback(info)` after every epoch (return False to stop).

    `augment(batch, step_seed)` (e.g. qlib.augment.augment), if given, changes each batch before the step;
    its seed is a pure function of `seed` and the step's number, so training stays deterministic.

    Deterministic: the same model, data and seed give bit-identical weights. One thread by default: these
    layers are too small to gain from more, and a busy machine makes extra threads spin.
    """
    if epochs < 0 or batch_size < 1:
        raise ValueError(f"epochs must be >= 0 and batch_size >= 1, got {epochs}, {batch_size}")
    x, y = splits.train
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    steps_per_epoch = math.ceil(len(x) / batch_size)
    history: list[EpochInfo] = []
    t0 = time.perf_counter()
    with _threads(num_threads):
        for epoch in range(epochs):
            t_epoch = time.perf_counter()
            if hasattr(model, "start_epoch"):
                model.start_epoch(epoch)
            model.train()
            perm = torch.randperm(len(x), generator=g)
            loss_sum, correct = 0.0, 0
            for i in range(steps_per_epoch):
                idx = perm[i * batch_size : (i + 1) * batch_size]
                for group in opt.param_groups:
                    group["lr"] = _lr_at(epoch * steps_per_epoch + i, epochs * steps_per_epoch, lr, schedule)
                xb = x[idx] if augment is None else augment(x[idx], (seed << 32) + epoch * steps_per_epoch + i)
                logits = model(xb)
                loss = F.cross_entropy(logits, y[idx])
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                loss_sum += float(loss.detach()) * len(idx)
                correct += int((logits.argmax(1) == y[idx]).sum())
            if hasattr(model, "end_epoch"):
                model.end_epoch(epoch)
            info = EpochInfo(
                epoch=epoch + 1,
                epochs=epochs,
                train_loss=loss_sum / len(x),
                train_acc=correct / len(x),
                val_acc=evaluate(model, *splits.val),
                seconds=time.perf_counter() - t_epoch,
                elapsed=time.perf_counter() - t0,
                lr=opt.param_groups[0]["lr"],
                quantizers=model.quantizer_state() if hasattr(model, "quantizer_state") else {},
            )
            history.append(info)
            if callback is not None and callback(info) is False:
                break
    model.eval()
    return history
