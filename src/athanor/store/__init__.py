"""The project store: SQLite (WAL) for records, Parquet for bulk arrays.

`Store.open(project_dir)` is the entry point; `import_file` and `export_dataset` move data
in and out.
"""

from athanor.store.store import Store

__all__ = ["Store"]
