"""DFT oracle through PySCF: B3LYP/6-31G* single point on a GFN2-xTB geometry.

Pipeline per molecule: the same RDKit ETKDG + MMFF geometry as the xTB oracle (same seed),
relaxed with GFN2-xTB (`xtb_geometry`, converged to `xtb_fmax` in at most `xtb_max_steps`
steps; other GFN2-xTB settings are the xTB oracle's defaults), then the DFT calculation. The
oracle does not read geometries that earlier xTB evaluations stored: it optimises its own,
and the XYZ it returns is labelled with the method that produced it (``method=GFN2-xTB``, or
the force field without `xtb_geometry`).

Yields the total energy and frontier orbital energies; optionally Tamm-Dancoff (TDA) excited
states: S1, T1, the S1 oscillator strength and the singlet-triplet gap ΔE_ST = S1 - T1 used to
screen OLED emitters (TADF needs ΔE_ST below ~0.2 eV). Density fitting (RI-J/K with the
def2-universal-JKFIT auxiliary basis) makes the hybrid-functional SCF affordable.

References:
    Sun et al., J. Chem. Phys. 153, 024109 (2020) - PySCF.
    Hirata, Head-Gordon, Chem. Phys. Lett. 314, 291 (1999) - TDA for TDDFT.
"""

from __future__ import annotations

import warnings

import numpy as np
from pyscf import dft, gto, tdscf

from athanor.core.config import StrictModel
from athanor.oracles.base import Oracle, OracleFailure, OracleResult
from athanor.oracles.geometry import Structure, embed_structure
from athanor.oracles.registry import register_oracle
from athanor.oracles.xtb import HARTREE_EV, XTBParameters, optimize_geometry


class DFTParameters(StrictModel):
    """Options of the DFT oracle.

    Attributes:
        xc: exchange-correlation functional (PySCF/libxc name).
        basis: orbital basis set.
        density_fit: use density fitting for the Coulomb and exchange integrals.
        xtb_geometry: optimise the force-field geometry with GFN2-xTB first.
        xtb_fmax: force convergence threshold of that optimisation in eV/Å.
        xtb_max_steps: its LBFGS steps before the molecule is reported as failed.
        excited_states: add TDA S1, T1, oscillator strength and ΔE_ST (closed shells only).
        n_states: roots of the Davidson solver per spin manifold; only the lowest is reported,
            and each extra root costs about as much as the first (2, as in Tartarus).
        max_heavy_atoms: larger molecules are refused (B3LYP cost grows ~N^3-N^4).
        max_memory_mb: PySCF memory limit per worker.
        seed: seed of the 3-D embedding.
    """

    xc: str = "b3lyp"
    basis: str = "6-31g*"
    density_fit: bool = True
    xtb_geometry: bool = True
    xtb_fmax: float = 0.05
    xtb_max_steps: int = 300
    excited_states: bool = False
    n_states: int = 2
    max_heavy_atoms: int = 30
    max_memory_mb: int = 2000
    seed: int = 42


def _check_basis(structure: Structure, params: DFTParameters) -> None:
    for symbol in sorted(set(structure.symbols)):
        try:
            with warnings.catch_warnings():  # PySCF suggests installing basis-set-exchange
                warnings.simplefilter("ignore")
                gto.basis.load(params.basis, symbol)
        except (KeyError, RuntimeError):  # BasisNotFoundError is a RuntimeError
            raise OracleFailure(f"basis set {params.basis} has no functions for {symbol}") from None


def _mean_field(structure: Structure, params: DFTParameters):
    mol = gto.M(
        atom=list(zip(structure.symbols, structure.positions.tolist(), strict=True)),
        basis=params.basis,
        charge=structure.charge,
        spin=structure.unpaired,
        verbose=0,
        max_memory=params.max_memory_mb,
    )
    mf = dft.RKS(mol) if structure.unpaired == 0 else dft.UKS(mol)
    mf.xc = params.xc
    return mf.density_fit() if params.density_fit else mf


def _frontier_orbitals(mf) -> dict[str, float]:
    """HOMO, LUMO, gap in eV over both spin channels."""
    energies = np.reshape(mf.mo_energy, (-1, np.shape(mf.mo_energy)[-1]))
    occupations = np.reshape(mf.mo_occ, energies.shape)
    homo = float(energies[occupations > 0].max()) * HARTREE_EV
    lumo = float(energies[occupations == 0].min()) * HARTREE_EV
    return {"homo": homo, "lumo": lumo, "gap": lumo - homo}


def _excited_states(mf, n_states: int) -> dict[str, float]:
    """S1, T1 (eV), the S1 oscillator strength and ΔE_ST from TDA on a closed-shell SCF."""
    singlets = tdscf.TDA(mf)
    singlets.nstates = n_states
    singlets.kernel()
    triplets = tdscf.TDA(mf)
    triplets.singlet = False
    triplets.nstates = n_states
    triplets.kernel()
    if not (np.all(singlets.converged) and np.all(triplets.converged)):
        raise OracleFailure("TDA excited-state solver did not converge")
    s1 = float(singlets.e[0]) * HARTREE_EV
    t1 = float(triplets.e[0]) * HARTREE_EV
    strength = float(singlets.oscillator_strength()[0])
    return {"s1": s1, "t1": t1, "oscillator_strength": strength, "delta_est": s1 - t1}


@register_oracle("dft")
class DFTOracle(Oracle):
    """B3LYP/6-31G* (density fitting) energy, HOMO, LUMO and gap; optional TDA S1, T1,
    oscillator strength and ΔE_ST. About 10 s for 9 heavy atoms on one core."""

    version = "1"
    Parameters = DFTParameters

    @property
    def properties(self) -> dict[str, str]:
        units = {"energy": "Eh", "homo": "eV", "lumo": "eV", "gap": "eV"}
        if self.parameters.excited_states:
            units.update(s1="eV", t1="eV", oscillator_strength="1", delta_est="eV")
        return units

    def evaluate_one(self, smiles: str) -> OracleResult:
        params = self.parameters
        structure = embed_structure(
            smiles, max_heavy_atoms=params.max_heavy_atoms, seed=params.seed
        )
        _check_basis(structure, params)
        if params.excited_states and structure.unpaired:
            raise OracleFailure("TDA excited states are computed for closed shells only")
        if params.xtb_geometry:
            relaxation = XTBParameters(fmax=params.xtb_fmax, max_steps=params.xtb_max_steps)
            structure = optimize_geometry(structure, relaxation)
        mf = _mean_field(structure, params)
        energy = float(mf.kernel())
        if not mf.converged:
            raise OracleFailure(f"{params.xc}/{params.basis} SCF did not converge")
        values = {"energy": energy, **_frontier_orbitals(mf)}
        if params.excited_states:
            values.update(_excited_states(mf, params.n_states))
        return OracleResult(values, geometry=structure.to_xyz(smiles))
