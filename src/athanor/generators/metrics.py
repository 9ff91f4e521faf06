"""Distribution-learning metrics of generated molecules (GuacaMol, MOSES).

Every function accepts raw generator output: invalid or empty strings in the generated sample
are counted as invalid, not raised. `InputDataError` is raised only where a metric cannot be
computed at all: a training set without a valid molecule (novelty), or too few valid molecules
for the KL divergences or the Fréchet ChemNet distance. Molecules are compared by RDKit
canonical SMILES; novelty ignores stereochemistry, as GuacaMol does.
"""

from __future__ import annotations

import logging
import math
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cache

import numpy as np
from scipy.stats import entropy, gaussian_kde

from athanor.chem.descriptors import descriptor_matrix
from athanor.chem.fingerprints import bulk_tanimoto, morgan_fingerprints
from athanor.chem.parse import canonical_smiles
from athanor.core.errors import InputDataError, UnsupportedError

logger = logging.getLogger(__name__)

# GuacaMol's KL-divergence descriptors: the first four continuous, the others integers
CONTINUOUS_DESCRIPTORS = ("BertzCT", "MolLogP", "MolWt", "TPSA")
DISCRETE_DESCRIPTORS = (
    "NumHAcceptors", "NumHDonors", "NumRotatableBonds", "NumAliphaticRings", "NumAromaticRings",
)  # fmt: skip


def valid_molecules(smiles: Sequence[str], stereo: bool = True) -> list[str]:
    """Canonical SMILES of the valid inputs, in order (duplicates kept)."""
    canonical = (canonical_smiles(text, stereo) for text in smiles)
    return [text for text in canonical if text is not None]


def validity(smiles: Sequence[str]) -> float:
    """Fraction of strings that RDKit parses and sanitises (0 for no input)."""
    return len(valid_molecules(smiles)) / len(smiles) if len(smiles) else 0.0


def uniqueness(smiles: Sequence[str]) -> float:
    """Distinct valid molecules / valid molecules (0 if none is valid)."""
    valid = valid_molecules(smiles)
    return len(set(valid)) / len(valid) if valid else 0.0


def training_set(smiles: Sequence[str]) -> frozenset[str]:
    """Canonical stereo-free SMILES of training molecules, for repeated `novelty` calls."""
    return frozenset(valid_molecules(smiles, stereo=False))


def novelty(smiles: Sequence[str], training: Sequence[str] | frozenset[str]) -> float:
    """Fraction of distinct valid molecules absent from `training` (stereo ignored).

    Args:
        smiles: generated molecules.
        training: training molecules, or their `training_set` (faster when reused).

    Raises:
        InputDataError: `training` holds no valid molecule (every sample would count as novel).
    """
    known = training if isinstance(training, frozenset) else training_set(training)
    if not known:
        raise InputDataError("novelty needs a training set with at least one valid molecule")
    unique = set(valid_molecules(smiles, stereo=False))
    return len(unique - known) / len(unique) if unique else 0.0


def _nearest_neighbour_similarity(fingerprints: np.ndarray, chunk: int = 2048) -> np.ndarray:
    """Max Tanimoto similarity of each row to any other row, shape (n,)."""
    nearest = np.zeros(len(fingerprints))
    for start in range(0, len(fingerprints), chunk):
        block = bulk_tanimoto(fingerprints[start : start + chunk], fingerprints)
        np.fill_diagonal(block[:, start : start + chunk], 0.0)
        nearest[start : start + chunk] = block.max(axis=1)
    return nearest


def internal_diversity(smiles: Sequence[str], chunk: int = 2048) -> float:
    """1 − mean Tanimoto similarity over pairs of distinct molecules (ECFP4, 2048 bits).

    Computed on the distinct valid molecules (MOSES IntDiv₁ also averages over the pairs
    of a molecule with itself; we leave those out). NaN for fewer than two molecules.
    """
    unique = sorted(set(valid_molecules(smiles)))
    n = len(unique)
    if n < 2:
        return math.nan
    fingerprints = morgan_fingerprints(unique)
    total = 0.0
    for start in range(0, n, chunk):
        total += float(bulk_tanimoto(fingerprints[start : start + chunk], fingerprints).sum())
    return 1.0 - (total - n) / (n * (n - 1))  # the n self-similarities are 1


@cache
def _chemnet():
    try:
        from fcd_torch import FCD
    except ImportError:
        raise UnsupportedError(
            "the Fréchet ChemNet distance needs the 'fcd_torch' package: pip install fcd_torch"
        ) from None
    return FCD(device="cpu", n_jobs=1)


def chemnet_statistics(smiles: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Mean (512,) and covariance (512, 512) of ChemNet activations of the valid molecules.

    Raises:
        UnsupportedError: the `fcd_torch` package (which ships ChemNet's weights) is missing.
        InputDataError: fewer than two valid molecules.
    """
    valid = valid_molecules(smiles)
    if len(valid) < 2:
        raise InputDataError("the Fréchet ChemNet distance needs two valid molecules per set")
    with warnings.catch_warnings():  # fcd_torch calls deprecated NumPy aliases
        warnings.simplefilter("ignore", DeprecationWarning)
        activations = _chemnet().get_predictions(valid)
    return activations.mean(axis=0), np.cov(activations.T)


def frechet_distance(
    statistics: tuple[np.ndarray, np.ndarray], reference: tuple[np.ndarray, np.ndarray]
) -> float:
    """Fréchet distance between two Gaussians given as (mean, covariance)."""
    from fcd_torch.utils import calculate_frechet_distance

    with warnings.catch_warnings():  # fcd_torch passes a deprecated SciPy argument
        warnings.simplefilter("ignore", DeprecationWarning)
        return float(calculate_frechet_distance(*reference, *statistics))


def frechet_chemnet_distance(smiles: Sequence[str], reference: Sequence[str]) -> float:
    """Fréchet ChemNet distance (Preuer et al. 2018) of valid molecules to `reference`.

    Raises:
        UnsupportedError: `fcd_torch` is not installed.
        InputDataError: fewer than two valid molecules on either side.
    """
    return frechet_distance(chemnet_statistics(smiles), chemnet_statistics(reference))


def fcd_score(distance: float) -> float:
    """GuacaMol's FCD score, exp(−0.2·FCD), in (0, 1]."""
    return math.exp(-0.2 * distance)


def _continuous_kl(baseline: np.ndarray, sampled: np.ndarray) -> float:
    """KL(P‖Q) of Gaussian kernel density estimates on a 1000-point grid.

    A set whose values are all equal has no density: histograms are compared instead.
    """
    if np.ptp(baseline) == 0 or np.ptp(sampled) == 0:
        return _discrete_kl(baseline, sampled)
    grid = np.linspace(
        min(baseline.min(), sampled.min()), max(baseline.max(), sampled.max()), num=1000
    )
    p = gaussian_kde(baseline)(grid) + 1e-10
    q = gaussian_kde(sampled)(grid) + 1e-10
    return float(entropy(p, q))


def _discrete_kl(baseline: np.ndarray, sampled: np.ndarray) -> float:
    """KL(P‖Q) of 10-bin histograms on bins spanning both sets, plus 1e-10 per bin.

    GuacaMol bins on the baseline's range alone (densities + 1e-10): when no sampled value
    falls in it, Q is 0/0 and the KL NaN. Bins over both sets keep every value counted, and
    the epsilon on the bin fractions makes disjoint sets give a large finite KL (about 23).
    """
    bins = np.histogram_bin_edges(np.concatenate([baseline, sampled]), bins=10)
    p, _ = np.histogram(baseline, bins=bins)
    q, _ = np.histogram(sampled, bins=bins)
    return float(entropy(p / p.sum() + 1e-10, q / q.sum() + 1e-10))


def kl_divergences(smiles: Sequence[str], reference: Sequence[str]) -> dict[str, float]:
    """KL divergence from `reference` to the generated distribution, per descriptor.

    As GuacaMol's KL benchmark: nine RDKit descriptors of the distinct valid molecules
    (stereo removed) plus the nearest-neighbour internal similarity.

    Raises:
        InputDataError: fewer than two distinct valid molecules on either side.
    """
    generated = sorted(set(valid_molecules(smiles, stereo=False)))
    baseline = sorted(set(valid_molecules(reference, stereo=False)))
    if min(len(generated), len(baseline)) < 2:
        raise InputDataError("KL divergences need two distinct valid molecules per set")
    names = CONTINUOUS_DESCRIPTORS + DISCRETE_DESCRIPTORS
    ours, theirs = descriptor_matrix(generated, names), descriptor_matrix(baseline, names)
    result = {}
    for column, name in enumerate(names):
        kl = _continuous_kl if name in CONTINUOUS_DESCRIPTORS else _discrete_kl
        result[name] = kl(theirs[:, column], ours[:, column])
    result["internal_similarity"] = _continuous_kl(
        _nearest_neighbour_similarity(morgan_fingerprints(baseline)),
        _nearest_neighbour_similarity(morgan_fingerprints(generated)),
    )
    return result


def kl_divergence_score(divergences: dict[str, float]) -> float:
    """GuacaMol's KL score: mean of exp(−KL) over the descriptors, in (0, 1]."""
    return float(np.mean([math.exp(-value) for value in divergences.values()]))


@dataclass(frozen=True)
class DistributionMetrics:
    """Distribution-learning metrics of one sample (None where not computable)."""

    n_generated: int
    validity: float
    uniqueness: float
    novelty: float | None
    internal_diversity: float
    fcd: float | None
    fcd_score: float | None
    kl_score: float | None
    kl_divergences: dict[str, float] | None

    def to_dict(self) -> dict:
        return asdict(self)


def distribution_metrics(
    smiles: Sequence[str],
    reference: Sequence[str] | None = None,
    training: Sequence[str] | None = None,
    fcd: bool = True,
) -> DistributionMetrics:
    """All distribution metrics of generated `smiles`.

    Args:
        smiles: generator output (invalid strings allowed).
        reference: molecules of the target distribution (FCD and KL divergences).
        training: the generator's training molecules (novelty; default `reference`).
        fcd: compute the Fréchet ChemNet distance (needs `fcd_torch`; slow on CPU).

    Raises:
        InputDataError: the training set (or, without one, `reference`) has no valid molecule.
    """
    training = training if training is not None else reference
    distance, divergences = None, None
    if reference is not None:
        try:
            divergences = kl_divergences(smiles, reference)
            distance = frechet_chemnet_distance(smiles, reference) if fcd else None
        except InputDataError as error:
            logger.warning("FCD and KL divergences skipped: %s", error)
    return DistributionMetrics(
        n_generated=len(smiles),
        validity=validity(smiles),
        uniqueness=uniqueness(smiles),
        novelty=novelty(smiles, training) if training is not None else None,
        internal_diversity=internal_diversity(smiles),
        fcd=distance,
        fcd_score=fcd_score(distance) if distance is not None else None,
        kl_score=kl_divergence_score(divergences) if divergences else None,
        kl_divergences=divergences,
    )
