"""Random weights that are the same everywhere: a network built without trained weights
draws its initialisation from one fixed seed, so every session and every server builds the
same one (two students, the teacher and the projector see the same maps for the same
settings), and the caller's random state is left as it was."""

from __future__ import annotations

import torch
from torch import nn

RANDOM_WEIGHTS_SEED = 0


def seeded(build, **options) -> nn.Module:
    """``build(**options)`` with its random initialisation drawn from
    ``RANDOM_WEIGHTS_SEED`` and torch's global generator restored afterwards."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(RANDOM_WEIGHTS_SEED)
        return build(**options)
