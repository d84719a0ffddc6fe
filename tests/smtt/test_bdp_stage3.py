"""`bdp` stage 3 with its multipliers re-optimised over each round's states (issue 22): the
optimum of `dp` and the published wt40 optima, proven, with bounds that never pass them."""

from __future__ import annotations

import numpy as np

import schedkit
from schedkit.smtt.solvers.bdp import modifiers as bdp_modifiers
from schedkit.smtt.solvers.bdp import search as bdp_search
from schedkit.smtt.solvers.bdp import ssdp
from schedkit.smtt.solvers.bdp import subgradient as bdp_subgradient
from schedkit.smtt.solvers.bdp.modifiers import Modifiers
from schedkit.smtt.solvers.bdp.search import Search
from tests.conftest import WT40_OPT, agrees_with, wt40
from tests.smtt.seeded_runs import check_where_fired
from tests.smtt.strategies import seeded_weighted


def test_reoptimised_rounds_match_dp(monkeypatch):
    """Seeded 10-12-job instances from random starting sequences, kept when stage 3 re-ran the
    subgradient over its states (killing states on the way): still the `dp` optimum, proven.
    Without the repaired relaxed paths, which would end most of them before stage 3."""
    monkeypatch.setattr(bdp_search, "REPAIR_SHARE", 0.0)
    rng = np.random.default_rng(7)
    check_where_fired(rng, (10, 13), 30, lambda instance: rng.permutation(instance.n),
                      "stage3_iterations", tries=800)


def test_wt40_with_stage3_steps():
    """wt40 #87 needs stage 3: the multiplier steps there run, states die, and the published
    optimum comes back proven."""
    instance = wt40(87)
    result = schedkit.solve(instance, "bdp", workers=1)
    agrees_with(instance, result, WT40_OPT[86], proven=True)
    assert result.stats["stage"] == 3
    assert result.stats["stage3_iterations"] > 0
    assert result.stats["peak_memory_mb"] > 0


def test_modifier_bits_fill_two_words():
    """More than 64 modifiers: bits 0-63 in the first word, the rest in the second; M itself
    (`full`) and the precedence masks follow."""
    rng = np.random.default_rng(3)
    instance = seeded_weighted(rng, (70, 71), 5)
    p, d, w = instance.p, instance.d, instance.w
    before = np.zeros((70, 70), dtype=np.bool_)
    before[0, 69] = True  # job 0 before job 69
    modifiers = Modifiers(Search(p, d, w, before, 10**9, 64, float("inf"), 2**30), 16)
    modifiers.add(list(range(70)))
    assert modifiers.member[63].tolist() == [2**63, 0]
    assert modifiers.member[64].tolist() == [0, 1]
    assert modifiers.full.tolist() == [2**64 - 1, 2**6 - 1]
    assert modifiers.pred[69].tolist() == [1, 0]  # 69 needs 0 done first
    assert modifiers.succ[0].tolist() == [0, 2**5]  # 0 must not come after 69 (bit 69 = 64 + 5)


def test_modifiers_per_round():
    """2 modifiers a round at first and after large rounds, more after small ones, at most 8."""
    assert ssdp._how_many(0) == ssdp.ADD_PER_ROUND
    assert ssdp._how_many(10 * ssdp.ROUND_STATES) == ssdp.ADD_PER_ROUND
    assert ssdp._how_many(ssdp.ROUND_STATES // 8) == 4
    assert ssdp._how_many(1) == ssdp.MAX_ADD_PER_ROUND



def test_moved_names_still_import_from_ssdp():
    """Search, the ascent and stage 3's state space left ssdp.py; ssdp re-exports their names."""
    moved = {
        bdp_search: ("TABLE_BYTES", "CHUNK_SECONDS", "REPAIR_SHARE", "Stopped", "Search", "table_bytes"),
        bdp_subgradient: ("ELIMINATE_EVERY", "STEP_START", "STEP_MIN", "STEP_EXPAND", "STEP_SHRINK",
                          "SHRINK_AFTER", "DEFLECTION", "ascent"),
        bdp_modifiers: ("STATE_BYTES", "EDGES_PER_STATE", "WORDS", "MAX_MODIFIERS", "STAGE3_ITERATIONS",
                        "STAGE3_RATIO", "STAGE3_WINDOW", "FIRST_BUDGET", "Modifiers"),
    }
    for module, names in moved.items():
        for name in names:
            assert getattr(ssdp, name) is getattr(module, name), name
