"""`athanor embed MODEL`: learned fingerprints (D-MPNN embeddings) of a molecule file."""

from __future__ import annotations

import click

from athanor.cli.predict import echo_summary, with_file_options


@click.command()
@with_file_options
def embed(
    model: str, input_path: str, output: str, smiles: tuple[str, ...], chunk_size: int
) -> None:
    """Write the learned representation of each row (columns emb_0 ...) of a D-MPNN MODEL."""
    from athanor.workflows.prediction import embed_file

    summary = embed_file(model, input_path, output, list(smiles) or None, chunk_size)
    echo_summary(summary, "embedded")
