"""Typed error hierarchy.

Every error a user can provoke with bad input derives from `AthanorError`; the CLI prints its
message as one line (no traceback unless ``--debug``) and exits non-zero.
"""


class AthanorError(Exception):
    """Base class of all errors raised on purpose by Athanor."""


class InputDataError(AthanorError):
    """A file, column or value supplied by the user cannot be used."""


class ModelFileError(InputDataError):
    """A saved model or generator checkpoint cannot be read: missing, truncated, corrupt,
    of another kind, or written by a newer Athanor."""


class ConfigError(AthanorError):
    """A configuration file or option is invalid (unknown key, bad value, missing file)."""


class MoleculeError(AthanorError):
    """A molecule cannot be parsed or standardised.

    Attributes:
        reason: a short machine-readable category (see `athanor.chem.FailureReason`).
    """

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


class StoreError(AthanorError):
    """The project store cannot be opened, read or written."""


class SchemaVersionError(StoreError):
    """The store was written by a newer Athanor (a schema this version does not know)."""


class NotFittedError(AthanorError):
    """A model or calibrator was used before `fit`."""


class WorkerStartError(AthanorError):
    """A worker process died while loading the oracle (a broken installation, or an oracle
    defined where a new process cannot import it), not a molecule's failure."""


class OracleSetupError(AthanorError):
    """An oracle failed for so many molecules in a row that its set-up (a program, a licence,
    a missing file), not the molecules, is at fault: a campaign stops before it spends its
    budget on failures."""


class UnsupportedError(AthanorError):
    """A requested feature or option is not available (e.g. an optional extra not installed)."""


def require(module: str, extra: str) -> None:
    """Raise `UnsupportedError` naming the pip extra when an optional module is missing."""
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise UnsupportedError(
            f"this feature needs the '{module}' package: pip install 'athanor[{extra}]'"
        )
