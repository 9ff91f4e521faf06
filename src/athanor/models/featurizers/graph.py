"""Molecular graphs for directed message passing, featurised once and batched by slicing.

Atom and bond features are those of chemprop v2 (Yang et al. 2019; element among H–Kr and I,
degree, formal charge, chirality, hydrogen count, hybridisation, aromaticity, mass / 100; bond
type, conjugation, ring membership, stereo), but stored as *categorical indices* into one
shared vocabulary instead of one-hot vectors: several times less memory per stored atom. The
network expands a batch's indices into chemprop's concatenated one-hot blocks only when it
runs (`athanor.models.mpnn.multi_hot`), so it is the same model.

A `GraphSet` packs many molecules into flat arrays; `GraphSet.batch` gathers any subset into a
`GraphBatch` with vectorised NumPy (no Python loop over molecules or atoms).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from rdkit import Chem, rdBase

from athanor.chem.parse import parse_molecule

ELEMENTS = (*range(1, 37), 53)
DEGREES = (0, 1, 2, 3, 4, 5)
FORMAL_CHARGES = (-1, -2, 1, 2, 0)
CHIRAL_TAGS = (0, 1, 2, 3)
HYDROGEN_COUNTS = (0, 1, 2, 3, 4)
HYBRIDIZATIONS = tuple(
    int(h)
    for h in (
        Chem.HybridizationType.S, Chem.HybridizationType.SP, Chem.HybridizationType.SP2,
        Chem.HybridizationType.SP2D, Chem.HybridizationType.SP3, Chem.HybridizationType.SP3D,
        Chem.HybridizationType.SP3D2,
    )
)  # fmt: skip
BOND_TYPES = (1.0, 2.0, 3.0, 1.5)  # single, double, triple, aromatic (as GetBondTypeAsDouble)
BOND_STEREO = (0, 1, 2, 3, 4, 5)

# Each field maps a raw RDKit value to a category; the last category of a field is "other".
ATOM_FIELDS = (ELEMENTS, DEGREES, FORMAL_CHARGES, CHIRAL_TAGS, HYDROGEN_COUNTS, HYBRIDIZATIONS,
               (0, 1))  # fmt: skip
BOND_FIELDS = (BOND_TYPES, (0, 1), (0, 1), BOND_STEREO)


def _lookup_tables(fields: tuple[tuple, ...]) -> tuple[list[dict], int]:
    """Per field, a dict raw value → global vocabulary index; and the vocabulary size."""
    tables, offset = [], 0
    for values in fields:
        tables.append(
            {value: offset + i for i, value in enumerate(values)} | {None: offset + len(values)}
        )
        offset += len(values) + 1
    return tables, offset


ATOM_TABLES, ATOM_VOCABULARY = _lookup_tables(ATOM_FIELDS)
BOND_TABLES, BOND_VOCABULARY = _lookup_tables(BOND_FIELDS)


def _encode(raw: list[tuple], tables: list[dict]) -> np.ndarray:
    """Raw per-atom (per-bond) tuples → global category indices, shape (n, n_fields), int32."""
    codes = np.empty((len(raw), len(tables)), dtype=np.int32)
    for j, table in enumerate(tables):
        other = table[None]
        codes[:, j] = [table.get(row[j], other) for row in raw]
    return codes


def _parse(smiles: str) -> Chem.Mol:
    """RDKit's parser directly (fast path); `parse_molecule` only to explain a failure."""
    with rdBase.BlockLogs():
        mol = Chem.MolFromSmiles(smiles)
    return mol if mol is not None else parse_molecule(smiles, fmt="smiles")


@dataclass(frozen=True)
class MoleculeGraph:
    """One molecule: atom codes (n_atoms, 7), masses (n_atoms,), bond codes (n_bonds, 4) and
    bonded atom pairs (n_bonds, 2)."""

    atom_codes: np.ndarray
    atom_mass: np.ndarray
    bond_codes: np.ndarray
    bond_atoms: np.ndarray


def molecule_graph(smiles: str) -> MoleculeGraph:
    """Featurise one molecule (heavy atoms only, as given: no standardisation).

    Raises:
        MoleculeError: the SMILES cannot be parsed.
    """
    mol = _parse(smiles)
    # GetAtomWithIdx avoids the slow Python sequence wrapper of GetAtoms(); RDKit enums and
    # bools hash and compare as ints, so they index the tables directly.
    atoms = [mol.GetAtomWithIdx(i) for i in range(mol.GetNumAtoms())]
    bonds = [mol.GetBondWithIdx(i) for i in range(mol.GetNumBonds())]
    atom_values = [
        (a.GetAtomicNum(), a.GetTotalDegree(), a.GetFormalCharge(), a.GetChiralTag(),
         a.GetTotalNumHs(), a.GetHybridization(), a.GetIsAromatic())
        for a in atoms
    ]  # fmt: skip
    bond_values = [
        (b.GetBondTypeAsDouble(), b.GetIsConjugated(), b.IsInRing(), b.GetStereo())
        for b in bonds
    ]  # fmt: skip
    pairs = [(b.GetBeginAtomIdx(), b.GetEndAtomIdx()) for b in bonds]
    return MoleculeGraph(
        atom_codes=_encode(atom_values, ATOM_TABLES),
        atom_mass=np.array([0.01 * a.GetMass() for a in atoms], dtype=np.float32),
        bond_codes=_encode(bond_values, BOND_TABLES),
        bond_atoms=np.array(pairs, dtype=np.int64).reshape(-1, 2),
    )


@dataclass(frozen=True)
class GraphBatch:
    """Several molecules as one disconnected graph with directed edges (torch tensors).

    Directed edge ``2k`` goes from ``edge_source[2k]`` to ``edge_target[2k]`` along bond k and
    edge ``2k + 1`` is its reverse, so the reverse of edge e is ``e ^ 1``.

    Attributes:
        atom_codes: (n_atoms, 7) int64 vocabulary indices.
        atom_mass: (n_atoms, 1) float32, atomic mass / 100.
        edge_codes: (n_edges, 4) int64 vocabulary indices of each edge's bond.
        edge_source: (n_edges,) int64 atom index where each directed edge starts.
        edge_target: (n_edges,) int64 atom index where it ends.
        molecule_index: (n_atoms,) int64 position of each atom's molecule in the batch.
        n_molecules: molecules in the batch.
    """

    atom_codes: torch.Tensor
    atom_mass: torch.Tensor
    edge_codes: torch.Tensor
    edge_source: torch.Tensor
    edge_target: torch.Tensor
    molecule_index: torch.Tensor
    n_molecules: int

    @property
    def reverse_edge(self) -> torch.Tensor:
        """(n_edges,) index of the reverse of each directed edge."""
        return torch.arange(len(self.edge_source)) ^ 1


def shape_bucket(n: int, at_least: int = 0) -> int:
    """``n + at_least`` rounded up to a multiple of 2^(bits(n) - 3), an eighth to a quarter of
    ``n``: at most 8 sizes per octave, padding ≤ 25 % (about 8 % on average). Finer buckets
    cost more in kernel compilation and cached kernels than they save in padding."""
    step = 2 ** max(n.bit_length() - 3, 1)
    return -(-(n + at_least) // step) * step


def padded(batch: GraphBatch) -> GraphBatch:
    """The batch with dummy atoms and edges appended, n_atoms and n_edges rounded up by
    `shape_bucket`: bf16 matrix kernels are compiled per shape, and a few shapes reuse them.

    The dummy atoms belong to molecule ``n_molecules`` (one past the real ones, dropped by the
    pooling) and every dummy edge joins the first dummy atom to itself, so nothing flows from
    the padding into a real atom or molecule.
    """
    n_atoms, n_edges = len(batch.atom_codes), len(batch.edge_source)
    extra_atoms = shape_bucket(n_atoms, at_least=1) - n_atoms
    extra_edges = shape_bucket(n_edges) - n_edges  # even: directed edges come in pairs
    dummy = torch.full((extra_edges,), n_atoms, dtype=torch.int64)

    def grow(tensor: torch.Tensor, n: int, fill: int = 0) -> torch.Tensor:
        return torch.cat([tensor, torch.full((n, *tensor.shape[1:]), fill, dtype=tensor.dtype)])

    return GraphBatch(
        atom_codes=grow(batch.atom_codes, extra_atoms),
        atom_mass=grow(batch.atom_mass, extra_atoms),
        edge_codes=grow(batch.edge_codes, extra_edges),
        edge_source=torch.cat([batch.edge_source, dummy]),
        edge_target=torch.cat([batch.edge_target, dummy]),
        molecule_index=grow(batch.molecule_index, extra_atoms, fill=batch.n_molecules),
        n_molecules=batch.n_molecules,
    )


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenation of ``arange(s, s + c)`` for every (s, c), vectorised."""
    total = int(counts.sum())
    shift = np.repeat(starts - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
    return np.arange(total, dtype=np.int64) + shift


class GraphSet:
    """Many molecule graphs packed into flat arrays (as in a CSR matrix).

    Args:
        graphs: one `MoleculeGraph` per molecule, n in all.
    """

    def __init__(self, graphs: Sequence[MoleculeGraph]):
        self.atom_codes = np.concatenate([g.atom_codes for g in graphs]).astype(np.int64)
        self.atom_mass = np.concatenate([g.atom_mass for g in graphs])
        self.bond_codes = np.concatenate([g.bond_codes for g in graphs]).astype(np.int64)
        self.bond_atoms = np.concatenate([g.bond_atoms for g in graphs])
        atom_counts = np.array([len(g.atom_mass) for g in graphs], dtype=np.int64)
        bond_counts = np.array([len(g.bond_atoms) for g in graphs], dtype=np.int64)
        self.atom_start = np.concatenate(([0], np.cumsum(atom_counts)))
        self.bond_start = np.concatenate(([0], np.cumsum(bond_counts)))

    def __len__(self) -> int:
        return len(self.atom_start) - 1

    def batch(self, index: np.ndarray) -> GraphBatch:
        """Gather molecules ``index`` (shape (b,), any order) into one `GraphBatch`."""
        atom_counts = self.atom_start[index + 1] - self.atom_start[index]
        bond_counts = self.bond_start[index + 1] - self.bond_start[index]
        atoms = _ranges(self.atom_start[index], atom_counts)
        bonds = _ranges(self.bond_start[index], bond_counts)
        new_start = np.concatenate(([0], np.cumsum(atom_counts)[:-1]))
        pairs = self.bond_atoms[bonds] + np.repeat(new_start, bond_counts)[:, None]
        return GraphBatch(
            atom_codes=torch.from_numpy(self.atom_codes[atoms]),
            atom_mass=torch.from_numpy(self.atom_mass[atoms, None]),
            edge_codes=torch.from_numpy(np.repeat(self.bond_codes[bonds], 2, axis=0)),
            edge_source=torch.from_numpy(pairs.ravel()),
            edge_target=torch.from_numpy(pairs[:, ::-1].ravel()),
            molecule_index=torch.from_numpy(np.repeat(np.arange(len(index)), atom_counts)),
            n_molecules=len(index),
        )


class GraphFeaturizer:
    """SMILES → `GraphSet`, remembering the molecules it has featurised (in memory).

    The cache is keyed by SMILES string, so featurising the same training set every epoch, or
    the same solvent thousands of times, costs one RDKit parse per distinct SMILES.

    Args:
        capacity: most molecules kept (about 1 kB each); beyond it, new molecules are
            featurised without being cached, so screening a large pool keeps memory flat.
    """

    def __init__(self, capacity: int = 100_000) -> None:
        self.capacity = capacity
        self._cache: dict[str, MoleculeGraph] = {}

    def __call__(self, smiles: Sequence[str]) -> GraphSet:
        """Featurise n SMILES into a `GraphSet` of n molecules (in the same order)."""
        cache = self._cache
        new = {text: molecule_graph(text) for text in set(smiles).difference(cache)}
        if len(cache) + len(new) <= self.capacity:
            cache.update(new)
        return GraphSet([cache.get(text) or new[text] for text in smiles])
