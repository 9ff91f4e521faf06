"""`athanor generate`: sample molecules from a generative model and measure a sample."""

from __future__ import annotations

import json
import math
from pathlib import Path

import click

from athanor.core.errors import InputDataError, MoleculeError


@click.group()
def generate() -> None:
    """Sample molecules from generative models and compute distribution metrics."""


TABLE_SUFFIXES = (".csv", ".tsv", ".parquet", ".sdf")


def read_smiles_file(path: str | Path) -> list[str]:
    """SMILES of a .smi/.txt file: the first field of each line, empty lines kept as invalid.
    A first line whose first field is ``smiles`` (any case; e.g. ``SMILES Name``) is a header.
    A CSV/TSV/Parquet/SDF file gives its SMILES column (guessed from its header).
    """
    path = Path(path)
    if not path.is_file():
        raise InputDataError(f"SMILES file not found: {path}")
    if path.name.removesuffix(".gz").endswith(TABLE_SUFFIXES):
        return _table_smiles(path)
    lines = [line.split() for line in path.read_text().splitlines()]
    if lines and lines[0] and lines[0][0].lower() == "smiles":
        lines = lines[1:]
    return [fields[0] if fields else "" for fields in lines]


def _table_smiles(path: Path) -> list[str]:
    """The SMILES column of a table file (empty cells kept as invalid)."""
    import pandas as pd

    from athanor.store.importing import guess_smiles_column
    from athanor.store.readers import MOLBLOCK_COLUMN, read_chunks

    frame = pd.concat([chunk.frame for chunk in read_chunks(path, text=True)], ignore_index=True)
    column = guess_smiles_column([str(c) for c in frame.columns])
    texts = frame[column].fillna("").astype(str).tolist()
    return [_as_smiles(text) for text in texts] if column == MOLBLOCK_COLUMN else texts


def _as_smiles(molblock: str) -> str:
    """An SDF record's SMILES ("" if RDKit cannot read it: counted invalid)."""
    from athanor.chem.parse import molblock_smiles

    try:
        return molblock_smiles(molblock)
    except MoleculeError:
        return ""


def read_reference_file(path: str | Path) -> list[str]:
    """SMILES of a reference or training file, which must hold a valid molecule.

    Raises:
        InputDataError: the file is missing, or none of its lines is a valid molecule (every
            sample would otherwise count as novel).
    """
    from athanor.chem.parse import canonical_smiles

    smiles = read_smiles_file(path)
    if not any(canonical_smiles(text) is not None for text in smiles):
        raise InputDataError(f"{path}: no valid molecule (empty or unparsable SMILES file)")
    return smiles


def _finite_or_null(value: object) -> object:
    """`value` with NaN and ±inf floats (nested in dicts too) replaced by None, for JSON."""
    if isinstance(value, dict):
        return {key: _finite_or_null(item) for key, item in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


@generate.command("sample")
@click.option(
    "--model",
    "-m",
    default="smiles_lm",
    show_default=True,
    help="Generator name (smiles_lm, selfies_lm, vae_bo, reinvent, ...).",
)
@click.option(
    "-n",
    "count",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="Number of molecules.",
)
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False))
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "--param",
    "settings",
    multiple=True,
    metavar="KEY=VALUE",
    help="Generator parameter (repeatable), e.g. checkpoint=my_lm temperature=0.8; "
    "seed=N overrides --seed.",
)
def sample(model: str, count: int, output: str, seed: int, settings: tuple[str, ...]) -> None:
    """Write COUNT proposals of MODEL to OUTPUT, one SMILES a line (invalid ones included)."""
    from athanor.cli.common import parameters_from
    from athanor.generators.metrics import validity
    from athanor.generators.registry import make_generator

    generator = make_generator(model, **{"seed": seed, **parameters_from(settings, None)})
    smiles = generator.ask(count)
    header = "smiles\n" if output.endswith((".csv", ".tsv")) else ""  # a table needs one
    Path(output).write_text(header + "".join(f"{text}\n" for text in smiles))
    click.echo(f"wrote {len(smiles)} molecules to {output} ({validity(smiles):.1%} valid)")


@generate.command("metrics")
@click.argument("sample_file", type=click.Path(dir_okay=False))
@click.option(
    "--reference",
    type=click.Path(dir_okay=False),
    help="SMILES of the target distribution (FCD, KL divergences).",
)
@click.option(
    "--training",
    type=click.Path(dir_okay=False),
    help="The model's training SMILES, for novelty (default: --reference).",
)
@click.option(
    "--fcd/--no-fcd",
    default=True,
    show_default=True,
    help="Compute the Fréchet ChemNet distance (needs fcd_torch).",
)
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Also write JSON.")
def metrics(sample_file, reference, training, fcd, json_path) -> None:  # fmt: skip
    """Validity, uniqueness, novelty, diversity, FCD and KL score of SAMPLE_FILE."""
    from athanor.generators.metrics import distribution_metrics

    smiles = read_smiles_file(sample_file)
    result = distribution_metrics(
        smiles,
        reference=read_reference_file(reference) if reference else None,
        training=read_reference_file(training) if training else None,
        fcd=fcd,
    ).to_dict()
    for name, value in result.items():
        if name != "kl_divergences":
            click.echo(f"{name:20s} {'-' if value is None else round(value, 4)}")
    if json_path:
        text = json.dumps(_finite_or_null(result), indent=1, allow_nan=False)
        Path(json_path).parent.mkdir(parents=True, exist_ok=True)
        Path(json_path).write_text(text + "\n")
