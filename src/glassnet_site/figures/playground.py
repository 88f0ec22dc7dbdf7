"""Facts for the training playground's page, computed from the playground's own runs.

Each "thing to try" on the page is a ``Tip``: the choices it asks the reader to select,
checked against the playground's grid. Its facts quote both those choices, as the
playground's controls name them, and what the runs of exactly those combinations show
(``glassnet_site.interactive.playground.train_combo``, the runs the reader replays), so a
tip can neither name a choice the playground does not offer nor drift from its data.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cache

import numpy as np

from glassnet_site.interactive.playground import (
    ACTIVATIONS,
    DATASETS,
    LEARNING_RATES,
    NETWORKS,
    REGULARISERS,
    Combo,
    Grid,
    train_combo,
)

from .registry import Fact

# The names the playground's controls show for each choice (NAMES and regNames in
# docs/assets/javascripts/gn-playground.js; a browser test checks that they agree).
LABELS = {
    "data": {"xor": "XOR", "circles": "circles", "moons": "two moons", "spirals": "spirals",
             "blobs": "Gaussian blobs"},
    "net": {"0": "no hidden layer", "4": "one hidden layer of 4",
            "8": "one hidden layer of 8", "8-8": "two hidden layers of 8",
            "8-8-8": "three hidden layers of 8"},
    "act": {"relu": "ReLU", "tanh": "tanh", "sigmoid": "sigmoid"},
    "lr": {lr: f"{lr:g}" for lr in LEARNING_RATES},
    "reg": {"none": "none", "l2": "L2", "dropout": "dropout"},
}
OFFERED = {"data": DATASETS, "net": NETWORKS, "act": ACTIVATIONS, "lr": LEARNING_RATES,
           "reg": REGULARISERS}


@dataclass(frozen=True)
class Tip:
    """The choices one "thing to try" names, each a tuple of the values it compares."""

    name: str
    data: tuple
    net: tuple
    act: tuple
    lr: tuple
    reg: tuple = ("none",)

    def __post_init__(self):
        for key, offered in OFFERED.items():
            for value in getattr(self, key):
                if value not in offered:
                    raise ValueError(f"playground tip {self.name!r}: {key} {value!r} is not "
                                     f"one of the playground's choices {list(offered)}")

    def choice_facts(self) -> list[Fact]:
        """``pg_<tip>_<key>`` (``pg_<tip>_<key><i>`` when it compares several): the name
        of each choice as the playground's controls show it."""
        out = []
        for key in (f.name for f in fields(self) if f.name != "name"):
            values = getattr(self, key)
            for i, value in enumerate(values, start=1):
                name = f"pg_{self.name}_{key}" + (str(i) if len(values) > 1 else "")
                out.append(Fact(name, lambda key=key, value=value: LABELS[key][value],
                                f"Playground tip {self.name}: the {key} it selects"))
        return out


# The tips, in the page's order.
LINE = Tip("line", data=("xor", "circles"), net=("0", "4"), act=("relu",), lr=(0.3,))
DEPTH = Tip("depth", data=("spirals",), net=("8", "8-8-8"), act=("tanh", "relu"), lr=(0.3,))
RATE = Tip("rate", data=("moons",), net=("8-8-8",), act=("relu",), lr=LEARNING_RATES)
SLOPE = Tip("slope", data=("moons",), net=("8-8-8",), act=("relu", "tanh", "sigmoid"),
            lr=(0.1,))
REG = Tip("reg", data=("blobs",), net=("8-8-8",), act=("relu",), lr=(0.3,),
          reg=REGULARISERS)
TIPS = (LINE, DEPTH, RATE, SLOPE, REG)
SLOW_START = 10  # the epoch at which the activation tip compares training losses


@cache
def run(dataset: str, network: str, activation: str, lr: float, reg: str = "none") -> dict:
    """The arrays of one playground run (shared runs are trained once).

    Only a combination the reader can select is accepted, so a fact cannot quote a run that
    the playground does not offer.
    """
    values = {"data": dataset, "net": network, "act": activation, "lr": lr, "reg": reg}
    for key, value in values.items():
        if value not in OFFERED[key]:
            raise ValueError(f"playground run: {value!r} is not one of the playground's "
                             f"choices {list(OFFERED[key])}")
    return train_combo(Combo(dataset, network, activation, lr, reg).canonical())[0]


def val_accuracy(*combo) -> float:
    """Validation accuracy at the last epoch."""
    return float(run(*combo)["val_acc"][-1])


def loss_rises(*combo) -> int:
    """How many of the full-batch steps raised the training loss instead of lowering it."""
    return int(np.sum(np.diff(run(*combo)["train_loss"]) > 0))


def loss_at(epoch: int, *combo) -> float:
    """Training loss before step ``epoch`` (0 is the loss at initialisation)."""
    return float(run(*combo)["train_loss"][epoch])


def _pct(fn, *combo):
    return lambda: f"{fn(*combo):.0%}"


def _num(fn, *combo, fmt: str = ".2f"):
    return lambda: format(fn(*combo), fmt)


def _key(value) -> str:
    """A choice as part of a fact's name: 8-8-8 as 8_8_8, 0.01 as 0_01."""
    return f"{value:g}".replace(".", "_") if isinstance(value, float) else value.replace("-", "_")


_RATE = (*RATE.data, *RATE.net, *RATE.act)
_SLOPE = (*SLOPE.data, *SLOPE.net)
_REG = (*REG.data, *REG.net, *REG.act, *REG.lr)

FACTS = (
    *(fact for tip in TIPS for fact in tip.choice_facts()),
    Fact("pg_epochs", lambda: f"{Grid().epochs}", "Playground: epochs of every run"),
    Fact("pg_tips_reg", lambda: LABELS["reg"][LINE.reg[0]],
         "Playground: the regularisation of every tip but the last"),
    *(Fact(f"pg_{d}_{n}_val", _pct(val_accuracy, d, n, *LINE.act, *LINE.lr),
           f"Playground: validation accuracy on {d}, network {n}, {LINE.act[0]}, "
           f"learning rate {LINE.lr[0]:g}")
      for d in LINE.data for n in LINE.net),
    *(Fact(f"pg_spirals_{_key(n)}_{a}_val", _pct(val_accuracy, *DEPTH.data, n, a, *DEPTH.lr),
           f"Playground: validation accuracy on the spirals, network {n}, {a}, "
           f"rate {DEPTH.lr[0]:g}")
      for n in DEPTH.net for a in DEPTH.act),
    *(Fact(f"pg_moons_lr{_key(lr)}_val", _pct(val_accuracy, *_RATE, lr),
           f"Playground: validation accuracy on the moons, 8-8-8 ReLU, learning rate {lr:g}")
      for lr in RATE.lr),
    *(Fact(f"pg_moons_lr{_key(lr)}_rises", _num(loss_rises, *_RATE, lr, fmt="d"),
           f"Playground: steps that raised the training loss, moons, 8-8-8 ReLU, rate {lr:g}")
      for lr in (RATE.lr[1], RATE.lr[-1])),
    Fact("pg_slow_epoch", lambda: str(SLOW_START), "Playground: epoch of the activation tip"),
    *(Fact(f"pg_moons_{act}_loss{epoch}", _num(loss_at, epoch, *_SLOPE, act, *SLOPE.lr),
           f"Playground: training loss at epoch {epoch}, moons, 8-8-8 {act}, "
           f"rate {SLOPE.lr[0]:g}")
      for act in SLOPE.act for epoch in (0, SLOW_START)),
    *(Fact(f"pg_blobs_{reg}_val", _pct(val_accuracy, *_REG, reg),
           f"Playground: validation accuracy on the blobs, 8-8-8 ReLU, rate 0.3, {reg}")
      for reg in REG.reg),
    *(Fact(f"pg_blobs_{reg}_val_loss_min",
           lambda reg=reg: f"{np.nanmin(run(*_REG, reg)['val_loss']):.2f}",
           f"Playground: lowest validation loss on the blobs, 8-8-8 ReLU, rate 0.3, {reg}")
      for reg in REG.reg),
    *(Fact(f"pg_blobs_{reg}_val_loss_end",
           lambda reg=reg: f"{run(*_REG, reg)['val_loss'][-1]:.2f}",
           f"Playground: last validation loss on the blobs, 8-8-8 ReLU, rate 0.3, {reg}")
      for reg in REG.reg),
)
