"""Tables of the project store (SQLAlchemy Core, portable to PostgreSQL).

Bump `SCHEMA_VERSION` and add a step to `athanor.store.migrations.MIGRATIONS` with every
change to these tables.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    text,
)

SCHEMA_VERSION = 2

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String, primary_key=True),
    Column("value", Text, nullable=False),
)

molecules = Table(
    "molecules",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("smiles", Text, nullable=False, unique=True),
    Column("inchikey", String(27), nullable=False, index=True),
    Column("heavy_atoms", Integer, nullable=False),
    Column("formal_charge", Integer, nullable=False),
    Column("radical_electrons", Integer, nullable=False),
    Column("created_at", String, nullable=False),
)

datasets = Table(
    "datasets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String, nullable=False, unique=True),
    Column("source", Text, nullable=False),
    Column("smiles_column", String, nullable=False),
    Column("columns", Text, nullable=False),  # JSON list: the input's columns, in order
    Column("condition_columns", Text, nullable=False),  # JSON list
    Column("standardizer", Text, nullable=False),  # JSON of StandardizerOptions
    Column("created_at", String, nullable=False),
)

dataset_rows = Table(
    "dataset_rows",
    metadata,
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE")),
    Column("row", Integer, nullable=False),  # 0-based record index in the input
    Column("line", Integer, nullable=False),  # line (or SDF record) number for messages
    Column("molecule_id", Integer, ForeignKey("molecules.id"), nullable=True, index=True),
    Column("input", Text, nullable=False),
    Column("conditions", Text, nullable=False),  # JSON object
    Column("extra", Text, nullable=False),  # JSON object: every input column
    Column("status", String, nullable=False),  # ok | invalid
    Column("reason", String, nullable=True),
    Column("message", Text, nullable=True),
    PrimaryKeyConstraint("dataset_id", "row"),
)

oracles = Table(
    "oracles",
    metadata,
    Column("fingerprint", String, primary_key=True),
    Column("name", String, nullable=False),
    Column("version", String, nullable=False),
    Column("parameters", Text, nullable=False),  # JSON
    Column("properties", Text, nullable=False),  # JSON: property -> unit
    Column("created_at", String, nullable=False),
)

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String, nullable=False),
    Column("name", String, nullable=False),
    Column("status", String, nullable=False),  # running | finished | failed
    Column("config", Text, nullable=False),  # JSON
    Column("environment", Text, nullable=False),  # JSON: versions, host, platform
    Column("seed", Integer, nullable=True),
    Column("created_at", String, nullable=False),
    Column("updated_at", String, nullable=False),
)

evaluations = Table(
    "evaluations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("molecule_id", Integer, ForeignKey("molecules.id"), nullable=False),
    Column("fingerprint", String, ForeignKey("oracles.fingerprint"), nullable=False),
    Column("status", String, nullable=False),  # ok | failed | timeout
    Column("values", Text, nullable=False),  # JSON object: property -> value
    Column("message", Text, nullable=False),
    Column("runtime_s", Float, nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("transient", Integer, nullable=False),  # 1: may be retried (worker died, ...)
    Column("host", String, nullable=False),
    Column("versions", Text, nullable=False),  # JSON
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=True),
    Column("geometry", Text, nullable=True),
    Column("created_at", String, nullable=False),
    Index("ix_evaluations_fingerprint_molecule", "fingerprint", "molecule_id"),
    # the guarantee: at most one successful computation per (molecule, oracle fingerprint)
    Index(
        "ux_evaluations_one_success",
        "molecule_id",
        "fingerprint",
        unique=True,
        sqlite_where=text("status = 'ok'"),
        postgresql_where=text("status = 'ok'"),
    ),
)

artifacts = Table(
    "artifacts",
    metadata,
    Column("name", String, primary_key=True),
    Column("kind", String, nullable=False),
    Column("path", Text, nullable=False),  # relative to the store directory
    Column("n_rows", Integer, nullable=False),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=True),
    Column("created_at", String, nullable=False),
)

# v2: what each campaign round chose to evaluate (the campaign's own state)
selections = Table(
    "selections",
    metadata,
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("round", Integer, nullable=False),
    Column("molecule_id", Integer, ForeignKey("molecules.id"), nullable=False),
    Column("score", Float, nullable=True),  # acquisition score (None for the initial design)
    Column("created_at", String, nullable=False),
    PrimaryKeyConstraint("run_id", "molecule_id"),
)
