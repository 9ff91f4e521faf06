"""Athanor: closed-loop, machine-learning-driven discovery of molecules and materials.

Importing the package is cheap: heavy libraries (RDKit, torch, tblite, PySCF, Ray) are
imported by the sub-packages that need them, when they are first used.
"""

from athanor._version import __version__

__all__ = ["__version__"]
