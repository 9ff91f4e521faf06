"""`athanor generate`: sample molecules from a generative model and measure a sample."""

from __future__ import annotations

import json
import logging
import math
from pathlib import Path

import click

from athanor.core.errors import InputDataError, MoleculeError

log = logging.getLogger(__name__)

LISTED_LINES = 5  # invalid reference lines named in the warning


@click.group()
def generate() -> None:
    """Sample molecules from generative models and compute distribution metrics."""


def _smiles_records(path: Path, smiles_column: str | None) -> tuple[list[int], list[str]]:
    """Line (record for SDF/Parquet) number and SMILES of each record of a molecule file.

    Raises:
        InputDataError: a missing, unreadable or empty file, or no SMILES column.
    """
    import pandas as pd

    from athanor.store.importing import guess_smiles_column
    from athanor.store.readers import MOLBLOCK_COLUMN, detect_format, read_chunks

    chunks = list(read_chunks(path, text=True))
    if not any(len(chunk.lines) for chunk in chunks):
        raise InputDataError(f"{path}: no molecules (the file has no records)")
    frame = pd.concat([chunk.frame for chunk in chunks], ignore_index=True)
    columns = [str(c) for c in frame.columns]
    column = "smiles" if detect_format(path) == "smi" else smiles_column
    column = column or guess_smiles_column(columns)
    if column not in columns:
        raise InputDataError(f"{path}: no column {column!r} (columns: {columns})")
    texts = frame[column].fillna("").astype(str).tolist()
    smiles = [_as_smiles(text) for text in texts] if column == MOLBLOCK_COLUMN else texts
    return [line for chunk in chunks for line in chunk.lines], smiles


def read_smiles_file(path: str | Path, smiles_column: str | None = None) -> list[str]:
    """SMILES of a molecule file, invalid ones included (an SDF record RDKit cannot read: "").

    Args:
        path: a SMILES list (the first field of each non-blank line; a first line whose first
            field is ``smiles``, any case, is a header) or a CSV/TSV/Parquet/SDF table; gzip
            allowed.
        smiles_column: the table column holding SMILES (default: guessed from the header;
            an SDF file's mol blocks).

    Raises:
        InputDataError: a missing, unreadable or empty file, or no SMILES column.
    """
    return _smiles_records(Path(path), smiles_column)[1]


def _as_smiles(molblock: str) -> str:
    """An SDF record's SMILES ("" if RDKit cannot read it: counted invalid)."""
    from athanor.chem.parse import molblock_smiles

    try:
        return molblock_smiles(molblock)
    except MoleculeError:
        return ""


def read_reference_file(path: str | Path, smiles_column: str | None = None) -> list[str]:
    """The valid SMILES of a reference or training file; the invalid ones are left out with
    a warning naming the first few lines.

    Raises:
        InputDataError: as `read_smiles_file`, or none of the records is a valid molecule
            (every sample would otherwise count as novel).
    """
    from athanor.chem.parse import canonical_smiles

    lines, smiles = _smiles_records(Path(path), smiles_column)
    valid = [canonical_smiles(text) is not None for text in smiles]
    if not any(valid):
        raise InputDataError(f"{path}: no valid molecule among its {len(smiles)} records")
    invalid = [line for line, ok in zip(lines, valid, strict=True) if not ok]
    if invalid:
        _warn_left_out(Path(path), invalid, len(smiles))
    return [text for text, ok in zip(smiles, valid, strict=True) if ok]


def _warn_left_out(path: Path, invalid: list[int], total: int) -> None:
    """Log the invalid SMILES left out of a reference file, with their first line numbers."""
    from athanor.store.readers import RECORD_FORMATS, detect_format

    word = "record" if detect_format(path) in RECORD_FORMATS else "line"
    listed = ", ".join(map(str, invalid[:LISTED_LINES]))
    if len(invalid) > LISTED_LINES:
        listed += ", ..."
    log.warning(
        "%s: %d of %d SMILES are not valid molecules, left out (%s%s %s)",
        *(path, len(invalid), total, word, "s" if len(invalid) > 1 else "", listed),
    )


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
    """Write COUNT proposals of MODEL to OUTPUT, in the format of its extension (.smi, .csv,
    .tsv, .parquet, .sdf; .gz compresses). CSV, TSV and Parquet keep every proposal; a SMILES
    list leaves out the empty ones, SDF those RDKit cannot parse.
    """
    import pandas as pd

    from athanor.cli.common import parameters_from
    from athanor.generators.metrics import validity
    from athanor.generators.registry import make_generator
    from athanor.store.exporting import write_frame
    from athanor.store.readers import count_records, detect_format

    fmt = detect_format(Path(output))  # an unknown extension fails before sampling
    generator = make_generator(model, **{"seed": seed, **parameters_from(settings, None)})
    smiles = generator.ask(count)
    write_frame(pd.DataFrame({"smiles": smiles}), output)
    written = count_records(Path(output), fmt)
    left_out = len(smiles) - written
    note = f"; {left_out} empty or invalid left out: .csv keeps them" if left_out else ""
    click.echo(f"wrote {written} molecules to {output} ({validity(smiles):.1%} valid{note})")


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
@click.option(
    "--smiles-column",
    help="Column with SMILES in CSV/TSV/Parquet/SDF files (default: guessed from the header).",
)
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Also write JSON.")
def metrics(sample_file, reference, training, fcd, smiles_column, json_path) -> None:  # fmt: skip
    """Validity, uniqueness, novelty, diversity, FCD and KL score of SAMPLE_FILE."""
    from athanor.generators.metrics import distribution_metrics

    smiles = read_smiles_file(sample_file, smiles_column)
    result = distribution_metrics(
        smiles,
        reference=read_reference_file(reference, smiles_column) if reference else None,
        training=read_reference_file(training, smiles_column) if training else None,
        fcd=fcd,
    ).to_dict()
    for name, value in result.items():
        if name != "kl_divergences":
            click.echo(f"{name:20s} {'-' if value is None else round(value, 4)}")
    if json_path:
        text = json.dumps(_finite_or_null(result), indent=1, allow_nan=False)
        Path(json_path).parent.mkdir(parents=True, exist_ok=True)
        Path(json_path).write_text(text + "\n")
