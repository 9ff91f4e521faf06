"""Hyper-parameter optimisation of surrogates on Optuna.

>>> from athanor.tuning import load_tune_config, tune
>>> result = tune(load_tune_config("tune.toml"), project=".")
>>> result.best_params, result.output / "best.toml"

A study lives in ``<project>/.athanor/tuning.sqlite3`` (Optuna RDB storage): it resumes after
a kill, and several processes or Ray tasks can work on it at once. Campaigns call `retune`.
"""

from athanor.core.lazy import lazy_getattr

_EXPORTS = {
    "Choice": "athanor.tuning.space",
    "FloatRange": "athanor.tuning.space",
    "IntRange": "athanor.tuning.space",
    "Retuned": "athanor.tuning.campaign",
    "SearchSpace": "athanor.tuning.space",
    "TrainingConfig": "athanor.tuning.config",
    "TuneConfig": "athanor.tuning.config",
    "TuneResult": "athanor.tuning.pipeline",
    "check_space": "athanor.tuning.space",
    "compare_on_test": "athanor.tuning.results",
    "load_tune_config": "athanor.tuning.config",
    "open_study": "athanor.tuning.study",
    "resolve_space": "athanor.tuning.space",
    "retune": "athanor.tuning.campaign",
    "run_study": "athanor.tuning.study",
    "tune": "athanor.tuning.pipeline",
    "write_training_config": "athanor.tuning.results",
}

__all__ = sorted(_EXPORTS)


__getattr__ = lazy_getattr(__name__, _EXPORTS)
