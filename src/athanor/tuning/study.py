"""Create, resume and run a study on Optuna's SQLite storage, in one or several processes.

Every worker (a local process or a Ray task) runs ``study.optimize`` on the shared storage,
which is how Optuna parallelises; workers stop once the study holds ``n_trials`` finished
trials, so a study killed half-way resumes where it stopped. Trials of a killed worker are
detected by their heartbeat, marked failed when the study is next opened, and queued again.
"""

from __future__ import annotations

import logging
import warnings
from functools import partial
from pathlib import Path

import numpy as np
import optuna
import sqlalchemy.exc
from optuna.storages import RDBStorage, RetryHeartbeatStaleTrialCallback
from optuna.study import MaxTrialsCallback
from optuna.trial import TrialState

from athanor.core.errors import ConfigError
from athanor.core.parallel import parallel_map
from athanor.datasets.labelled import SplitData, load_split_data
from athanor.tuning.config import TuneConfig
from athanor.tuning.objective import (
    TrialObjective,
    check_model_values,
    enqueue_current,
    route_optuna_logs,
)

logger = logging.getLogger(__name__)

FINGERPRINT_ATTR = "config_fingerprint"
ROWS_ATTR = "rows_digest"
FINISHED = (TrialState.COMPLETE, TrialState.PRUNED)
HEARTBEAT_S = 60
WORKER_SEED_STRIDE = 100_003  # keeps the samplers of parallel workers apart
MIN_HELD_OUT_ROWS = 10  # fewer rows score trials mostly by the noise of a few molecules


def _storage(config: TuneConfig, project: str | Path) -> RDBStorage:
    """The study storage, its folder made if needed.

    Raises:
        ConfigError: the SQLite file cannot be made or opened there.
    """
    path = config.storage_path(project)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with warnings.catch_warnings():  # heartbeats are marked experimental since Optuna 2.8
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            return RDBStorage(
                f"sqlite:///{path}",
                heartbeat_interval=HEARTBEAT_S,
                grace_period=3 * HEARTBEAT_S,
                heartbeat_stale_trial_callback=RetryHeartbeatStaleTrialCallback(max_retry=1),
            )
    except (OSError, sqlalchemy.exc.OperationalError) as error:
        said = getattr(error, "orig", error)  # SQLAlchemy's wrapper adds a line of links
        raise ConfigError(
            f"storage {str(path)!r}: cannot open an SQLite file there ({said}); "
            "give 'storage' the path of a file in a writable folder"
        ) from error


def _check_fingerprint(storage: RDBStorage, config: TuneConfig) -> None:
    """Refuse to resume a study that another configuration created, unless every trial of
    it failed (its configuration could not run): that one is deleted, so that the corrected
    configuration keeps the study's name."""
    try:
        study_id = storage.get_study_id_from_name(config.study)
    except KeyError:
        return
    stored = storage.get_study_user_attrs(study_id).get(FINGERPRINT_ATTR)
    if stored == config.fingerprint():
        return
    trials = storage.get_all_trials(study_id, deepcopy=False)
    # only a study whose every trial failed: one being set up (no fingerprint yet, a waiting
    # trial) or run by another process is never taken
    if stored is not None and trials and all(t.state == TrialState.FAIL for t in trials):
        logger.info("study %r of another configuration (fingerprint %s): every trial failed; "
                    "replaced by this one", config.study, stored)  # fmt: skip
        storage.delete_study(study_id)
        return
    raise ConfigError(
        f"study {config.study!r} in {storage.url} was created by another configuration "
        f"(fingerprint {stored}, this config {config.fingerprint()}): "
        "choose another 'study' name or 'storage' file"
    )


def load_study_data(config: TuneConfig) -> SplitData:
    """The study's split data, checked before any trial.

    Warns when fewer than `MIN_HELD_OUT_ROWS` held-out rows score the trials, or when a task
    has no held-out label.

    Raises:
        InputDataError: see `load_split_data`.
        ConfigError: a split without training or validation rows.
    """
    data = load_split_data(config.data, config.split)
    sizes = data.sizes()
    if not sizes["train"] or not sizes["val"]:
        raise ConfigError(f"the split leaves {sizes['train']} training and {sizes['val']} "
                          "validation rows: give [split] sizes a share of both")  # fmt: skip
    held_out = data.held_out()
    if len(held_out.y) < MIN_HELD_OUT_ROWS:
        logger.warning("trials are scored on %d held-out row(s) only (fewer than %d): the best "
                       "trial may be chosen by noise; give [split] sizes a larger validation "
                       "share", len(held_out.y), MIN_HELD_OUT_ROWS)  # fmt: skip
    unlabelled = np.isnan(held_out.y).all(axis=0)
    if unlabelled.any():
        logger.warning("task(s) %s have no validation labels: trials are scored on the others",
                       np.flatnonzero(unlabelled).tolist())  # fmt: skip
    return data


def _check_rows(study: optuna.Study, data: SplitData) -> None:
    """Refuse to add trials on other rows than the study's first trials saw (an edited data
    file under the same path and config); a study without a record takes these rows."""
    stored, digest = study.user_attrs.get(ROWS_ATTR), data.digest()
    if stored is None:
        study.set_user_attr(ROWS_ATTR, digest)
    elif stored != digest:
        raise ConfigError(
            f"the data of study {study.study_name!r} changed since its trials ran "
            f"(rows digest {stored}, now {digest}): "
            "choose another 'study' name or 'storage' file"
        )


def _sampler(config: TuneConfig, offset: int) -> optuna.samplers.BaseSampler:
    seed = config.seed + offset
    if config.sampler == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    return optuna.samplers.TPESampler(seed=seed, multivariate=True)


def _pruner(config: TuneConfig) -> optuna.pruners.BasePruner:
    if config.pruner == "median":
        return optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=5)
    if config.pruner == "hyperband":
        return optuna.pruners.HyperbandPruner()
    return optuna.pruners.NopPruner()


def open_study(config: TuneConfig, project: str | Path, worker: int = 0) -> optuna.Study:
    """Create the study (its first trial: the model's defaults), or load it to resume.

    Args:
        config: the tuning config (its search space is checked first).
        project: project directory holding the default storage.
        worker: worker index; shifts the sampler seed so that workers, and resumed runs,
            do not repeat each other's draws.

    Raises:
        ConfigError: a bad search space, a storage that cannot be opened, or a stored study
            with another config fingerprint that finished a trial (see `_check_fingerprint`).
    """
    config.search_space()
    route_optuna_logs()
    storage = _storage(config, project)
    _check_fingerprint(storage, config)
    study = optuna.create_study(
        storage=storage,
        study_name=config.study,
        directions=["minimize"] * len(config.objectives),
        load_if_exists=True,
        pruner=_pruner(config),
    )
    study.set_user_attr(FINGERPRINT_ATTR, config.fingerprint())  # first: claims the study
    if not study.trials:  # the defaults first: the tuned model is never worse on validation
        enqueue_current(study, config.search_space(), config.model, {}, config.seed)
    _fail_stale_trials(study)
    study.set_user_attr("objectives", config.objectives)
    study.sampler = _sampler(config, len(study.trials) + worker * WORKER_SEED_STRIDE)
    return study


def _fail_stale_trials(study: optuna.Study) -> None:
    """Mark trials of killed workers (no heartbeat for the grace period) failed, and queue
    them again, now: Optuna does it only before a new trial, which a study that already
    holds ``n_trials`` never starts, so they would stay RUNNING in its records."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        optuna.storages.fail_stale_trials(study)


def finished_trials(study: optuna.Study) -> int:
    """Trials that completed or were pruned."""
    return len(study.get_trials(deepcopy=False, states=FINISHED))


def _optimize(study: optuna.Study, config: TuneConfig, data: SplitData | None = None) -> int:
    """Run trials until the study holds ``config.n_trials`` finished ones (or the timeout) on
    ``data`` (None: loaded here, in a worker); return how many this call finished."""
    before = finished_trials(study)
    if before >= config.n_trials:
        return 0
    data = load_split_data(config.data, config.split) if data is None else data
    _check_rows(study, data)
    objective = TrialObjective(
        config.model,
        config.search_space(),
        data,
        config.metric,
        with_cost=len(config.objectives) == 2,
        seed=config.seed,
        n_fits=config.trial_seeds,
    )
    study.optimize(
        objective,
        timeout=config.timeout_s,
        callbacks=[MaxTrialsCallback(config.n_trials, states=FINISHED)],
    )
    return finished_trials(study) - before


def run_worker(config: TuneConfig, project: str | Path, worker: int = 0) -> int:
    """One worker process (or Ray task) on the shared storage.

    Returns:
        Trials this worker finished.
    """
    return _optimize(open_study(config, project, worker), config)


def _ray_workers(config: TuneConfig, project: str | Path) -> None:
    """Ray tasks as workers. They open the storage by its absolute path, so on a cluster the
    project folder must be on a file system every node mounts at the same path."""
    import ray

    started = not ray.is_initialized()
    ray.init(address=config.ray_address, ignore_reinit_error=True, log_to_driver=False)
    project = str(Path(project).resolve())
    if config.ray_address is not None:
        logger.info("Ray workers use the storage %s: it must be shared by every node", project)
    try:
        task = ray.remote(num_cpus=1)(run_worker)
        ray.get([task.remote(config, project, i) for i in range(1, config.n_jobs + 1)])
    finally:
        if started:
            ray.shutdown()


def run_study(
    config: TuneConfig, project: str | Path = ".", data: SplitData | None = None
) -> optuna.Study:
    """Run (or resume) the study in ``config.n_jobs`` workers and return it.

    Args:
        config: the study.
        project: project directory holding the default storage.
        data: the result of `load_study_data` (None: loaded here).

    Raises:
        ConfigError: before the study is created or opened, for a bad search space, a split
            without training or validation rows, or a value the model does not take (see
            `check_model_values`); then for a storage that cannot be opened or a stored study
            of another configuration.
        InputDataError: data that cannot be read, before the study is created or opened.
    """
    data = load_study_data(config) if data is None else data
    check_model_values(config.model, config.search_space(), data, config.seed)
    study = open_study(config, project)
    logger.info(
        "study %r: %d/%d trials finished", config.study, finished_trials(study), config.n_trials
    )
    if config.executor == "ray":
        _ray_workers(config, project)
    elif config.n_jobs == 1:
        _optimize(study, config, data)
    else:
        worker = partial(run_worker, config, str(project))
        parallel_map(worker, list(range(1, config.n_jobs + 1)), n_jobs=config.n_jobs, chunk_size=1)
    return study
