"""The pinned baseline (sim/baseline.py): the default runs give the committed numbers. When a
change moves them, the failure shows a table of what moved; if that was intended, re-pin
with `python -m sim.baseline --update` (make baseline) and say why in the commit."""

from __future__ import annotations

import json
import math

from sim import baseline


def test_the_default_runs_give_the_pinned_numbers():
    pinned = json.loads(baseline.FILE.read_text(encoding="utf-8"))
    assert set(pinned) == set(baseline.CASES)
    rows = baseline.differences(pinned, baseline.current())
    assert not rows, ("the default runs moved (python -m sim.baseline --update re-pins them):\n"
                      + baseline.table(rows))


def test_the_diff_table_names_what_moved():
    pinned = {"default": {"participation_end": 0.2, "months_to_16": math.nan, "gone": 1.0}}
    now = {"default": {"participation_end": 0.25, "months_to_16": math.nan, "new": 2.0}}
    rows = baseline.differences(pinned, now)
    assert [(r[1]) for r in rows] == ["gone", "new", "participation_end"]
    text = baseline.table(rows)
    assert "participation_end" in text and "+0.05" in text and "months_to_16" not in text
