"""Campaign figures: optimisation traces and grids of molecule drawings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from athanor.reports.plots import _axes


def trace_plot(
    curves: Mapping[str, tuple[np.ndarray, np.ndarray]],
    *,
    xlabel: str = "oracle calls",
    ylabel: str = "best value",
    title: str = "",
):
    """Several curves y(x) on one axes, e.g. best value found against oracle calls.

    Args:
        curves: label -> (x (n,), y (n,)).
    """
    ax = _axes(None, figsize=(6.0, 4.0))
    for label, (x, y) in curves.items():
        ax.plot(x, y, label=label, drawstyle="steps-post")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(frameon=False)
    ax.figure.tight_layout()
    return ax.figure


def molecule_grid_svg(
    smiles: Sequence[str], legends: Sequence[str], per_row: int = 4, size: int = 220
) -> str:
    """RDKit 2-D drawings of molecules with their legends, as one SVG document."""
    from rdkit import Chem
    from rdkit.Chem import Draw

    mols = [Chem.MolFromSmiles(s) for s in smiles]
    return Draw.MolsToGridImage(
        mols, molsPerRow=per_row, subImgSize=(size, size), legends=list(legends), useSVG=True
    )


def expected_best_of_random(values: np.ndarray, draws: np.ndarray) -> np.ndarray:
    """Expected maximum of n uniform draws (with replacement) from observed values.

    An estimate of the random-search baseline from a random batch: for sorted values
    v_1..v_m, P(max <= v_i) = (i/m)^n.

    Args:
        values: shape (m,), values of a random sample (larger is better).
        draws: shape (k,), numbers of draws n.

    Returns:
        shape (k,), E[max] for each n.
    """
    ordered = np.sort(values)
    m = len(ordered)
    fractions = np.arange(m + 1) / m
    cdf = fractions[None, :] ** np.asarray(draws, dtype=float)[:, None]  # (k, m + 1)
    return (np.diff(cdf, axis=1) * ordered[None, :]).sum(axis=1)


def pareto_plot(values: np.ndarray, front: np.ndarray, names: Sequence[str]):
    """Measured values of two objectives, the non-dominated ones highlighted.

    Args:
        values: shape (n, 2), in the objectives' own units.
        front: shape (n,) bool, True on the Pareto front.
        names: the two axis labels.
    """
    ax = _axes(None, figsize=(5.0, 4.5))
    ax.scatter(values[~front, 0], values[~front, 1], s=10, color="0.6", label="measured")
    order = np.argsort(values[front, 0])
    ax.plot(values[front, 0][order], values[front, 1][order], "o-", color="C3", label="front")
    ax.set(xlabel=names[0], ylabel=names[1])
    ax.legend()
    return ax.figure
