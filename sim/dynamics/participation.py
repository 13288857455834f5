"""Who takes part, and the counts derived from it, kept up to date from the changes only.

Each month only a small share of residents joins or leaves, so the number of participating
ties of every resident (A x, the social-influence input of every adoption rule) and the
counts per village and Rogers category are updated from the residents whose participation
changed, instead of recomputed over all residents. The residents' phase reports its own
changes (`apply`); changes made anywhere else (founding, dissolution, a researcher setting
states by hand) are found by `refresh()`, which compares with its own copy.
"""

from __future__ import annotations

import numpy as np

from ..state import ResidentArrays, ResidentState, Rogers

assert ResidentState.CORE == ResidentState.MEMBER + 1  # refresh() relies on it


class Participation:
    """Incrementally maintained participation mask and counts (exact integer arithmetic)."""

    def __init__(self, adjacency, people: ResidentArrays, n_villages: int) -> None:
        self._indptr, self._indices = adjacency.indptr, adjacency.indices
        self._people = people
        self.mask = np.zeros(people.n, dtype=bool)  # who takes part
        self.ties = np.zeros(people.n, dtype=np.float32)   # participating ties per resident
        self.by_village = np.zeros(n_villages, dtype=np.int64)
        self.by_category = np.zeros(len(Rogers), dtype=np.int64)
        self.vulnerable = 0
        self._now = np.zeros(people.n, dtype=bool)
        self.refresh()

    @property
    def total(self) -> int:
        return int(self.by_village.sum())

    def refresh(self) -> None:
        """Bring every count up to date with people.state, whoever changed it."""
        state, now = self._people.state, self._now
        # MEMBER and CORE are consecutive: state - MEMBER (wrapping as uint8) < 2, in two passes
        np.less(state.view(np.uint8) - np.uint8(ResidentState.MEMBER), np.uint8(2), out=now)
        diff = now != self.mask
        if not diff.any():
            return
        changed = np.flatnonzero(diff)
        self.apply(changed[now[changed]], changed[~now[changed]])

    def apply(self, joined: np.ndarray, left: np.ndarray) -> None:
        """Record that residents `joined` started and `left` stopped taking part."""
        people = self._people
        if joined.size and left.size:  # both in one pass: +1 for the joined, -1 for those who left
            self.mask[joined] = True
            self.mask[left] = False
            idx = np.concatenate((joined, left))
            sign = np.ones(idx.size, dtype=np.int64)
            sign[joined.size:] = -1
            neighbours, lengths = self._neighbours_and_counts(idx)
            np.add.at(self.ties, neighbours, sign.astype(np.float32).repeat(lengths))
            np.add.at(self.by_village, people.village[idx], sign)
            np.add.at(self.by_category, people.category[idx], sign)
            self.vulnerable += int(np.count_nonzero(people.vulnerable[joined])) \
                - int(np.count_nonzero(people.vulnerable[left]))
            return
        for idx, sign in ((joined, 1), (left, -1)):
            if idx.size:
                self.mask[idx] = sign > 0
                np.add.at(self.ties, self._neighbours_of(idx), _ONE[sign])
                np.add.at(self.by_village, people.village[idx], sign)
                np.add.at(self.by_category, people.category[idx], sign)
                self.vulnerable += sign * int(np.count_nonzero(people.vulnerable[idx]))

    def _neighbours_of(self, idx: np.ndarray) -> np.ndarray:
        """All tie ends of the residents idx (with repetition), read straight from the CSR arrays."""
        return self._neighbours_and_counts(idx)[0]

    def _neighbours_and_counts(self, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """_neighbours_of(idx), and the number of ties of each resident of idx."""
        starts = self._indptr[idx]
        lengths = self._indptr[idx + 1] - starts
        ends = lengths.cumsum()
        total = int(ends[-1]) if ends.size else 0
        if total == 0:
            return np.empty(0, dtype=self._indices.dtype), lengths
        # position k of the result is tie starts[i] + (k - first k of i) of the i-th resident
        shift = (starts - (ends - lengths)).repeat(lengths)
        shift += np.arange(total, dtype=shift.dtype)
        return self._indices[shift], lengths


_ONE = {1: np.float32(1), -1: np.float32(-1)}
