"""Replication seeds: every run's generator follows from one master seed and its replicate.

    generator = SFC64(SeedSequence(entropy=seed, spawn_key=(replicate,)))

This is numpy's SeedSequence spawning (independent, non-overlapping streams; O'Neill 2015,
numpy docs "Parallel random number generation"), computed from (seed, replicate) alone, so
replicate k has the same stream in every scenario and every instrument (common random
numbers), whichever launcher, worker or order runs it.
"""

from __future__ import annotations

import numpy as np


def seed_sequence(seed: int, replicate: int) -> np.random.SeedSequence:
    """The SeedSequence of replicate `replicate` under master seed `seed`."""
    return np.random.SeedSequence(entropy=seed, spawn_key=(replicate,))


def generator(seed: int, replicate: int) -> np.random.Generator:
    """The model's generator (SFC64: fast, passes PractRand/TestU01 like PCG64)."""
    return np.random.Generator(np.random.SFC64(seed_sequence(seed, replicate)))


def run_seed(seed: int, replicate: int) -> int:
    """A 64-bit integer that identifies the run's stream (recorded in every output)."""
    return int(seed_sequence(seed, replicate).generate_state(2, np.uint32).view(np.uint64)[0])
