"""Oracles: physics and other label sources behind one contract (see `athanor.oracles.base`).

>>> from athanor.oracles import make_oracle
>>> xtb = make_oracle("xtb", optimize=True, ip_ea=True, solvent="water")
>>> xtb.evaluate(["c1ccccc1", "not a smiles"])   # one Evaluation per input, never raises

Built-in names: ``rdkit``, ``xtb``, ``dft``, ``table``, ``python``, ``command``. Modules that
need tblite or PySCF are imported only when their oracle is built.
"""

from athanor.oracles.base import NoParameters, Oracle, OracleFailure, OracleResult
from athanor.oracles.registry import make_oracle, oracle_class, oracle_names, register_oracle

__all__ = [
    "NoParameters",
    "Oracle",
    "OracleFailure",
    "OracleResult",
    "make_oracle",
    "oracle_class",
    "oracle_names",
    "register_oracle",
]
