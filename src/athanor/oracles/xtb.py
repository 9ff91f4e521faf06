"""GFN2-xTB oracle through the tblite library: frontier orbitals, dipole, energy, IP/EA.

Pipeline per molecule: RDKit ETKDG + MMFF geometry (`athanor.oracles.geometry`), optionally a
GFN2-xTB geometry optimisation with an ASE optimiser, then GFN2-xTB single points. Charge and
spin come from the molecule (formal charge, radical electrons). The dipole moment is taken about
the centre of mass, so that the dipole of an ion does not depend on where the embedding put the
coordinate origin.

References:
    Bannwarth, Ehlert, Grimme, J. Chem. Theory Comput. 15, 1652 (2019) - GFN2-xTB.
    Ehlert, Stahn, Spicher, Grimme, J. Chem. Theory Comput. 17, 4250 (2021) - ALPB solvation.
    The empirical 4.846 eV shift of GFN2-xTB ΔSCF ionisation potentials and electron
    affinities is the one the xtb program applies for ``--vip`` / ``--vea``; with it, benzene's
    vertical IP comes out at 9.3 eV (experiment 9.24 eV) and p-benzoquinone's EA at 2.0 eV
    (experiment 1.9 eV).
"""

from __future__ import annotations

import numpy as np
from ase import Atoms
from ase.optimize import LBFGS
from pydantic import field_validator
from tblite.ase import TBLite
from tblite.exceptions import TBLiteRuntimeError
from tblite.interface import Calculator

from athanor.core.config import StrictModel
from athanor.oracles.base import Oracle, OracleFailure, OracleResult
from athanor.oracles.geometry import Structure, embed_structure
from athanor.oracles.registry import register_oracle

HARTREE_EV = 27.211386245988
BOHR_ANGSTROM = 0.529177210903
E_BOHR_DEBYE = 2.541746473
KELVIN_HARTREE = 3.166808578545117e-6
GFN2_IP_EA_SHIFT_EV = 4.846  # subtracted from raw ΔSCF IP and EA (xtb's --vip / --vea)
MAX_ATOMIC_NUMBER = 86  # GFN2-xTB is parametrised for H-Rn
# a few of the solvents tblite has GFN2-xTB ALPB parameters for (it exposes no list)
EXAMPLE_SOLVENTS = ("water", "methanol", "acetonitrile", "dmso", "thf", "ch2cl2", "toluene")


class XTBParameters(StrictModel):
    """Options of the xTB oracle.

    Attributes:
        optimize: relax the geometry with GFN2-xTB (ASE LBFGS, gas phase) before the single
            points.
        fmax: force convergence threshold of the optimisation in eV/Å.
        max_steps: optimisation steps before the molecule is reported as failed.
        ip_ea: also compute vertical IP and EA by ΔSCF on the cation and anion (2 extra SCFs).
        solvent: ALPB solvent name (e.g. ``"water"``, ``"acetonitrile"``); adds the
            solvation free energy and, with `ip_ea`, the IP/EA in solution. A name tblite
            has no GFN2-xTB parameters for is refused when the oracle is built.
        electronic_temperature: Fermi smearing temperature in K.
        accuracy: tblite numerical accuracy (smaller is tighter).
        max_heavy_atoms: larger molecules are refused (per-item failure).
        seed: seed of the 3-D embedding.
    """

    optimize: bool = False
    fmax: float = 0.05
    max_steps: int = 300
    ip_ea: bool = False
    solvent: str | None = None
    electronic_temperature: float = 300.0
    accuracy: float = 1.0
    max_heavy_atoms: int = 100
    seed: int = 42

    @field_validator("solvent")
    @classmethod
    def _known_solvent(cls, solvent: str | None) -> str | None:
        if solvent and not has_alpb_parameters(solvent):
            raise ValueError(
                f"tblite has no GFN2-xTB ALPB parameters for solvent {solvent!r}; "
                f"known solvents include {', '.join(EXAMPLE_SOLVENTS)}"
            )
        return solvent


def has_alpb_parameters(solvent: str) -> bool:
    """Whether tblite can run GFN2-xTB/ALPB in `solvent`, tried on H2 (about 1 ms): tblite
    accepts any name of its dielectric database when the model is added and refuses names
    without ALPB parameters only at the first single point."""
    calc = Calculator("GFN2-xTB", np.array([1, 1]), np.array([[0.0, 0.0, 0.0], [0.0, 0.0, 1.4]]))
    calc.set("verbosity", 0)
    try:
        calc.add("alpb-solvation", solvent)
        calc.singlepoint()
    except TBLiteRuntimeError:
        return False
    return True


def _calculator(structure: Structure, params: XTBParameters, solvent: str | None = None):
    calc = Calculator(
        "GFN2-xTB",
        structure.numbers,
        structure.positions / BOHR_ANGSTROM,
        charge=float(structure.charge),
        uhf=structure.unpaired,
    )
    calc.set("verbosity", 0)
    calc.set("accuracy", params.accuracy)
    calc.set("temperature", params.electronic_temperature * KELVIN_HARTREE)
    if solvent:
        calc.add("alpb-solvation", solvent)
    return calc


def _singlepoint(structure: Structure, params: XTBParameters, solvent: str | None = None):
    """A converged tblite result, or `OracleFailure` with tblite's message."""
    try:
        return _calculator(structure, params, solvent).singlepoint()
    except TBLiteRuntimeError as error:
        raise OracleFailure(f"GFN2-xTB failed (charge {structure.charge}): {error}") from None


def _ion(structure: Structure, extra_charge: int) -> Structure:
    """The same geometry with one electron removed (+1) or added (-1), lowest spin."""
    unpaired = 1 if structure.unpaired == 0 else structure.unpaired - 1
    return Structure(
        structure.numbers, structure.positions, structure.charge + extra_charge, unpaired
    )


def dipole_moment(result, structure: Structure) -> float:
    """Magnitude of the dipole moment in D about the centre of mass.

    tblite reports it about the coordinate origin, which for an ion (total charge Q) shifts it
    by -Q times the origin's displacement; the centre of mass makes it a property of the
    molecule alone.
    """
    centre = structure.centre_of_mass / BOHR_ANGSTROM
    dipole = np.asarray(result.get("dipole")) - structure.charge * centre
    return float(np.linalg.norm(dipole)) * E_BOHR_DEBYE


def frontier_orbitals(result) -> dict[str, float]:
    """HOMO, LUMO and gap in eV from a tblite result.

    The HOMO is the highest orbital with occupation above 1/2 (the singly occupied orbital of a
    radical), the LUMO the next one.
    """
    energies = np.asarray(result.get("orbital-energies")) * HARTREE_EV
    occupations = np.asarray(result.get("orbital-occupations"))
    homo = int(np.flatnonzero(occupations > 0.5)[-1])
    if homo + 1 >= len(energies):
        raise OracleFailure("no virtual orbital in the GFN2-xTB basis: LUMO undefined")
    return {
        "homo": energies[homo],
        "lumo": energies[homo + 1],
        "gap": energies[homo + 1] - energies[homo],
    }


def optimize_geometry(structure: Structure, params: XTBParameters) -> Structure:
    """GFN2-xTB geometry optimisation with ASE's LBFGS.

    Raises:
        OracleFailure: not converged to `params.fmax` within `params.max_steps` steps.
    """
    atoms = Atoms(numbers=structure.numbers, positions=structure.positions)
    atoms.calc = TBLite(
        method="GFN2-xTB",
        charge=structure.charge,
        multiplicity=structure.unpaired + 1,
        accuracy=params.accuracy,
        electronic_temperature=params.electronic_temperature,
        verbosity=0,
    )
    if not LBFGS(atoms, logfile=None).run(fmax=params.fmax, steps=params.max_steps):
        raise OracleFailure(
            f"GFN2-xTB optimisation not converged to fmax {params.fmax} eV/Å "
            f"in {params.max_steps} steps"
        )
    return Structure(
        structure.numbers, atoms.get_positions(), structure.charge, structure.unpaired, "GFN2-xTB"
    )


def _check_elements(structure: Structure) -> None:
    unsupported = sorted({int(z) for z in structure.numbers if z > MAX_ATOMIC_NUMBER})
    if unsupported:
        raise OracleFailure(f"element(s) Z={unsupported} not parametrised in GFN2-xTB (H-Rn)")


def _ionisation_values(
    structure: Structure, energy: float, params: XTBParameters, solvent: str | None
) -> dict[str, float]:
    """Vertical IP and EA in eV (ΔSCF with the GFN2 empirical shift)."""
    cation = _singlepoint(_ion(structure, +1), params, solvent).get("energy")
    anion = _singlepoint(_ion(structure, -1), params, solvent).get("energy")
    suffix = "_solvated" if solvent else ""
    return {
        f"ip{suffix}": (cation - energy) * HARTREE_EV - GFN2_IP_EA_SHIFT_EV,
        f"ea{suffix}": (energy - anion) * HARTREE_EV - GFN2_IP_EA_SHIFT_EV,
    }


@register_oracle("xtb")
class XTBOracle(Oracle):
    """GFN2-xTB (tblite) HOMO, LUMO, gap, dipole and total energy; optional geometry
    optimisation, vertical IP/EA and ALPB solvation. Returns the geometry (XYZ, Å)."""

    version = "2"  # 2: dipole about the centre of mass (was the origin; differs for ions)
    Parameters = XTBParameters

    @property
    def properties(self) -> dict[str, str]:
        units = {"energy": "Eh", "homo": "eV", "lumo": "eV", "gap": "eV", "dipole": "D"}
        if self.parameters.ip_ea:
            units.update(ip="eV", ea="eV")
        if self.parameters.solvent:
            units["solvation_energy"] = "eV"
            if self.parameters.ip_ea:
                units.update(ip_solvated="eV", ea_solvated="eV")
        return units

    def evaluate_one(self, smiles: str) -> OracleResult:
        params = self.parameters
        structure = embed_structure(
            smiles, max_heavy_atoms=params.max_heavy_atoms, seed=params.seed
        )
        _check_elements(structure)
        if params.optimize:
            structure = optimize_geometry(structure, params)
        result = _singlepoint(structure, params)
        energy = float(result.get("energy"))
        values = {
            "energy": energy,
            "dipole": dipole_moment(result, structure),
            **frontier_orbitals(result),
        }
        if params.ip_ea:
            values.update(_ionisation_values(structure, energy, params, None))
        if params.solvent:
            values.update(self._solution_values(structure, energy))
        return OracleResult(values, geometry=structure.to_xyz(smiles))

    def _solution_values(self, structure: Structure, gas_energy: float) -> dict[str, float]:
        params = self.parameters
        solvated = float(_singlepoint(structure, params, params.solvent).get("energy"))
        values = {"solvation_energy": (solvated - gas_energy) * HARTREE_EV}
        if params.ip_ea:
            values.update(_ionisation_values(structure, solvated, params, params.solvent))
        return values
