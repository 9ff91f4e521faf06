"""Combinatorial libraries: building blocks joined at attachment points, or by reactions.

Attachment points are numbered dummy atoms: a donor carries ``[*:1]``, a π-bridge ``[*:1]``
and ``[*:2]``, an acceptor ``[*:2]``; RDKit's `molzip` joins equal numbers. Every product
goes through the same standardisation as any imported molecule when it enters the store.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import pandas as pd
from rdkit import Chem, rdBase
from rdkit.Chem import rdChemReactions

from athanor.core.errors import InputDataError

BUILTIN_LIBRARIES = {"donor_acceptor": "donor_acceptor_fragments.csv"}
ROLES = ("donor", "bridge", "acceptor")


def load_fragments(library: str | Path) -> pd.DataFrame:
    """Building blocks (``role``, ``name``, ``smiles``) of a built-in library or a CSV file.

    Raises:
        InputDataError: unknown library, or a file without the required columns/roles.
    """
    if str(library) in BUILTIN_LIBRARIES:
        source = resources.files("athanor.chem") / "data" / BUILTIN_LIBRARIES[str(library)]
        frame = pd.read_csv(source.open())
    elif Path(library).is_file():
        frame = pd.read_csv(library)
    else:
        known = ", ".join(BUILTIN_LIBRARIES)
        raise InputDataError(f"unknown library '{library}': give a fragments CSV or one of {known}")
    missing = {"role", "name", "smiles"} - set(frame.columns)
    if missing:
        raise InputDataError(f"fragments file needs columns role, name, smiles (missing {missing})")
    return frame


def _fragment(smiles: str) -> Chem.Mol:
    with rdBase.BlockLogs():
        mol = Chem.MolFromSmiles(smiles)
    if mol is None:
        raise InputDataError(f"cannot parse fragment '{smiles}'")
    return mol


def zip_fragments(fragments: Sequence[Chem.Mol]) -> str | None:
    """Join fragments at equally numbered attachment points; canonical SMILES or None."""
    combined = fragments[0]
    for fragment in fragments[1:]:
        combined = Chem.CombineMols(combined, fragment)
    try:
        with rdBase.BlockLogs():
            product = Chem.molzip(combined)
            Chem.SanitizeMol(product)
    except (ValueError, RuntimeError, Chem.MolSanitizeException):
        return None
    if any(atom.GetAtomicNum() == 0 for atom in product.GetAtoms()):
        return None  # an attachment point left open
    return Chem.MolToSmiles(product)


def _as_acceptor_of_donor(acceptor: Chem.Mol) -> Chem.Mol:
    """The acceptor with its attachment point renumbered 2 → 1, for a direct D–A bond."""
    renumbered = Chem.Mol(acceptor)
    for atom in renumbered.GetAtoms():
        if atom.GetAtomicNum() == 0 and atom.GetAtomMapNum() == 2:
            atom.SetAtomMapNum(1)
    return renumbered


def enumerate_donor_acceptor(fragments: pd.DataFrame) -> pd.DataFrame:
    """All D–A and D–π–A molecules of a fragment set.

    Returns:
        ``smiles``, ``donor``, ``bridge`` (empty for D–A) and ``acceptor`` names, one row per
        unique product, in enumeration order.
    """
    by_role = {role: fragments[fragments["role"] == role] for role in ROLES}
    for role, frame in by_role.items():
        if frame.empty:
            raise InputDataError(f"the fragment set has no '{role}' fragments")
    mols = {row.smiles: _fragment(row.smiles) for row in fragments.itertuples()}
    rows = []
    for donor, acceptor in itertools.product(
        by_role["donor"].itertuples(), by_role["acceptor"].itertuples()
    ):
        direct = [mols[donor.smiles], _as_acceptor_of_donor(mols[acceptor.smiles])]
        rows.append((zip_fragments(direct), donor.name, "", acceptor.name))
        for bridge in by_role["bridge"].itertuples():
            parts = [mols[donor.smiles], mols[bridge.smiles], mols[acceptor.smiles]]
            rows.append((zip_fragments(parts), donor.name, bridge.name, acceptor.name))
    frame = pd.DataFrame(rows, columns=["smiles", "donor", "bridge", "acceptor"])
    return frame.dropna(subset=["smiles"]).drop_duplicates("smiles").reset_index(drop=True)


def enumerate_library(library: str | Path) -> pd.DataFrame:
    """The donor–(π)–acceptor library of a built-in fragment set or a fragments CSV."""
    return enumerate_donor_acceptor(load_fragments(library))


def enumerate_reaction(reaction_smarts: str, reactants: Sequence[Sequence[str]]) -> list[str]:
    """Unique canonical products of a reaction over every combination of reactants.

    Args:
        reaction_smarts: e.g. an amide coupling ``[C:1](=O)[OH].[N;H2:2]>>[C:1](=O)[N:2]``.
        reactants: one list of SMILES per reactant template.

    Returns:
        Product SMILES in enumeration order; combinations that do not react are skipped.
    """
    reaction = rdChemReactions.ReactionFromSmarts(reaction_smarts)
    if reaction.GetNumReactantTemplates() != len(reactants):
        raise InputDataError(
            f"the reaction has {reaction.GetNumReactantTemplates()} reactant templates but "
            f"{len(reactants)} reactant lists were given"
        )
    pools = [[_fragment(s) for s in pool] for pool in reactants]
    products: dict[str, None] = {}
    for combination in itertools.product(*pools):
        for outcome in reaction.RunReactants(combination):
            smiles = zip_fragments([outcome[0]]) if outcome else None
            if smiles:
                products.setdefault(smiles)
    return list(products)
