"""Energy-materials objectives computed from oracle properties (all energies in eV).

* Organic photovoltaics: power conversion efficiency (PCE) from the Scharber model, as used by
  the Tartarus OPV benchmark: GFN2-xTB HOMO/LUMO calibrated linearly to experiment, the
  open-circuit voltage from the donor HOMO - acceptor LUMO offset minus 0.3 V, a fill factor of
  0.65 and the short-circuit current from a Gaussian fit of the AM1.5G-integrated Scharber
  current against the optical gap.
* Redox-flow batteries: oxidation / reduction potentials vs SHE from the solvated vertical IP
  and EA (absolute SHE potential 4.44 V).
* OLED emitters: the Tartarus TADF objective, oscillator strength - ΔE_ST - |S1 - 3.2 eV|.

References:
    Scharber et al., Adv. Mater. 18, 789 (2006) - the Scharber model.
    Nigam et al., Tartarus, NeurIPS Datasets & Benchmarks (2023); calibration and fit
        constants from ``tartarus/pce.py``; the emitter objective from ``tartarus/tadf.py``.
    Trasatti, Pure Appl. Chem. 58, 955 (1986) - absolute SHE potential 4.44 V.
    Neugebauer et al., J. Phys. Chem. A 124, 7166 (2020) - redox potentials from GFN2-xTB.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

# Tartarus linear calibration of GFN2-xTB orbital energies (eV) to experiment-like levels
HOMO_CALIBRATION = (0.8051030400316004, 2.5376777453204133)
LUMO_CALIBRATION = (0.8787863933542347, 3.7912767464357200)
# Jsc(gap) = A exp(-gap^2 / B) in A/m^2, capped; incident power Pin in W/m^2 (Tartarus fit)
JSC_AMPLITUDE = 433.11633173034136
JSC_WIDTH = 2.3353220382662894  # eV^2
JSC_MAX = 415.22529811760637
INCIDENT_POWER = 900.1393292842149
FILL_FACTOR = 0.65
VOC_LOSS_V = 0.3  # empirical voltage loss of the Scharber model
MIN_LUMO_OFFSET_EV = 0.3  # donor-acceptor LUMO offset needed for charge separation
PCBM_LUMO_EV = -4.3
PCDTBT_HOMO_EV, PCDTBT_LUMO_EV = -5.5, -3.6
SHE_ABSOLUTE_V = 4.44
BLUE_EMISSION_EV = 3.2


def calibrate_orbitals(homo: ArrayLike, lumo: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Tartarus calibration of GFN2-xTB HOMO and LUMO (eV) to experiment-like levels (eV)."""
    homo_cal = np.asarray(homo, float) * HOMO_CALIBRATION[0] + HOMO_CALIBRATION[1]
    lumo_cal = np.asarray(lumo, float) * LUMO_CALIBRATION[0] + LUMO_CALIBRATION[1]
    return homo_cal, lumo_cal


def _levels(homo: ArrayLike, lumo: ArrayLike, calibrate: bool) -> tuple[np.ndarray, np.ndarray]:
    if calibrate:
        return calibrate_orbitals(homo, lumo)
    return np.asarray(homo, float), np.asarray(lumo, float)


def _short_circuit_current(gap: np.ndarray) -> np.ndarray:
    """Scharber Jsc (A/m^2) for an absorber with optical gap `gap` (eV), Tartarus fit."""
    return np.minimum(JSC_AMPLITUDE * np.exp(-(gap**2) / JSC_WIDTH), JSC_MAX)


def _pce(voc: np.ndarray, lumo_offset: np.ndarray, gap: np.ndarray) -> np.ndarray:
    current = _short_circuit_current(gap)
    pce = 100.0 * np.maximum(voc, 0.0) * FILL_FACTOR * current / INCIDENT_POWER
    return np.where(lumo_offset < MIN_LUMO_OFFSET_EV, 0.0, pce)


def scharber_pce_donor(
    homo: ArrayLike, lumo: ArrayLike, acceptor_lumo: float = PCBM_LUMO_EV, calibrate: bool = True
) -> np.ndarray:
    """PCE (%) of a donor molecule blended with a fullerene acceptor (PCBM by default).

    Args:
        homo, lumo: donor orbital energies in eV, shape (n,) (raw GFN2-xTB if `calibrate`).
        acceptor_lumo: LUMO of the acceptor in eV.
        calibrate: apply the Tartarus GFN2-xTB calibration first.

    Returns:
        PCE in percent, shape (n,); 0 where the LUMO offset is below 0.3 eV.
    """
    homo, lumo = _levels(homo, lumo, calibrate)
    voc = np.abs(homo) - abs(acceptor_lumo) - VOC_LOSS_V
    return _pce(voc, lumo - acceptor_lumo, lumo - homo)


def scharber_pce_acceptor(
    homo: ArrayLike,
    lumo: ArrayLike,
    donor_homo: float = PCDTBT_HOMO_EV,
    donor_lumo: float = PCDTBT_LUMO_EV,
    calibrate: bool = True,
) -> np.ndarray:
    """PCE (%) of an acceptor molecule blended with a polymer donor (PCDTBT by default).

    Args:
        homo, lumo: acceptor orbital energies in eV, shape (n,).
        donor_homo, donor_lumo: donor levels in eV.
        calibrate: apply the Tartarus GFN2-xTB calibration first.

    Returns:
        PCE in percent, shape (n,); 0 where the LUMO offset is below 0.3 eV.
    """
    homo, lumo = _levels(homo, lumo, calibrate)
    voc = abs(donor_homo) - np.abs(lumo) - VOC_LOSS_V
    return _pce(voc, donor_lumo - lumo, lumo - homo)


def redox_potentials(ip_solvated: ArrayLike, ea_solvated: ArrayLike) -> dict[str, np.ndarray]:
    """Oxidation and reduction potentials (V vs SHE) from solvated vertical IP and EA (eV).

    E_ox = IP_solv / e - 4.44 V for M+ + e- -> M, and E_red = EA_solv / e - 4.44 V for
    M + e- -> M-. Vertical energies omit relaxation and thermal terms, so these rank
    molecules rather than predict potentials to better than a few tenths of a volt.

    Returns:
        ``{"oxidation_potential": (n,), "reduction_potential": (n,)}`` in V vs SHE.
    """
    return {
        "oxidation_potential": np.asarray(ip_solvated, float) - SHE_ABSOLUTE_V,
        "reduction_potential": np.asarray(ea_solvated, float) - SHE_ABSOLUTE_V,
    }


def emitter_score(
    s1: ArrayLike,
    delta_est: ArrayLike,
    oscillator_strength: ArrayLike,
    target_s1: float = BLUE_EMISSION_EV,
) -> np.ndarray:
    """Tartarus OLED emitter objective f - ΔE_ST - |S1 - target| (higher is better).

    Args:
        s1: S1 excitation energies in eV, shape (n,).
        delta_est: singlet-triplet gaps S1 - T1 in eV (small for TADF).
        oscillator_strength: S0 -> S1 oscillator strengths (bright emitters have large f).
        target_s1: wanted emission energy in eV (3.2 eV: blue).

    Returns:
        Scores, shape (n,); NaN where any input is not physical (S1, f or ΔE_ST <= 0), as
        Tartarus rejects those molecules.
    """
    s1, gap, strength = (np.asarray(x, float) for x in (s1, delta_est, oscillator_strength))
    score = strength - gap - np.abs(s1 - target_s1)
    return np.where((s1 > 0) & (gap > 0) & (strength > 0), score, np.nan)
