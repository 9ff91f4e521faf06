"""Scharber PCE, redox potentials and the emitter objective against hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from athanor.oracles.energy_materials import (
    calibrate_orbitals,
    emitter_score,
    redox_potentials,
    scharber_pce_acceptor,
    scharber_pce_donor,
)


def test_scharber_donor_by_hand():
    # Voc = 5.5 - 4.3 - 0.3 = 0.9 V; Jsc = 433.116 exp(-1.9^2 / 2.33532) = 92.30 A/m^2
    expected = 100 * 0.9 * 0.65 * 433.11633 * math.exp(-(1.9**2) / 2.3353220) / 900.13933
    pce = scharber_pce_donor([-5.5], [-3.6], calibrate=False)
    assert pce[0] == pytest.approx(expected, rel=1e-6)
    assert pce[0] == pytest.approx(6.00, abs=0.01)


def test_scharber_optimum_region_and_offset_cutoff():
    # Scharber 2006: ~10 % for a 1.5 eV donor with 0.3-0.4 eV offsets to PCBM
    assert scharber_pce_donor([-5.4], [-3.9], calibrate=False)[0] == pytest.approx(9.55, abs=0.05)
    # LUMO offset below 0.3 eV: no charge separation, no current
    assert scharber_pce_donor([-5.4], [-4.1], calibrate=False)[0] == 0.0


def test_scharber_acceptor_with_pcdtbt():
    # Voc = 5.5 - 4.0 - 0.3 = 1.2 V; offset -3.6 + 4.0 = 0.4 eV; gap 2.0 eV
    expected = 100 * 1.2 * 0.65 * 433.11633 * math.exp(-4.0 / 2.3353220) / 900.13933
    assert scharber_pce_acceptor([-6.0], [-4.0], calibrate=False)[0] == pytest.approx(expected)


def test_tartarus_calibration_is_applied():
    homo, lumo = calibrate_orbitals([-10.0], [-7.0])
    assert homo[0] == pytest.approx(-10.0 * 0.8051030400316004 + 2.5376777453204133)
    assert lumo[0] == pytest.approx(-7.0 * 0.8787863933542347 + 3.79127674643572)
    raw = scharber_pce_donor([-10.0], [-7.0], calibrate=False)
    assert (
        scharber_pce_donor([-10.0], [-7.0])[0] == scharber_pce_donor(homo, lumo, calibrate=False)[0]
    )
    assert raw[0] == 0.0  # uncalibrated GFN2 levels are far too deep for PCBM


def test_redox_potentials_vs_she():
    potentials = redox_potentials([5.0, 6.44], [4.0, 2.0])
    np.testing.assert_allclose(potentials["oxidation_potential"], [0.56, 2.0])
    np.testing.assert_allclose(potentials["reduction_potential"], [-0.44, -2.44])


def test_emitter_score_rewards_blue_bright_small_gap():
    scores = emitter_score([3.2, 2.5, 3.2], [0.1, 0.1, -0.1], [0.5, 0.5, 0.5])
    assert scores[0] == pytest.approx(0.4)
    assert scores[1] == pytest.approx(-0.3)
    assert np.isnan(scores[2])  # negative ΔE_ST: rejected as Tartarus does
