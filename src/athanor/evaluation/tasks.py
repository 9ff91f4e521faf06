"""Per-task evaluation with missing labels: metrics see only the rows a task has labelled."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence

import numpy as np

from athanor.core.errors import InputDataError


def as_task_matrix(values: np.ndarray | Sequence[float], name: str) -> np.ndarray:
    """`values` as a float array of shape (n, t); a vector of shape (n,) becomes (n, 1).

    Raises:
        InputDataError: if `values` has more than two dimensions.
    """
    matrix = np.asarray(values, dtype=np.float64)
    if matrix.ndim == 1:
        matrix = matrix[:, None]
    if matrix.ndim != 2:
        raise InputDataError(f"{name} must have shape (n,) or (n, t); got {matrix.shape}")
    return matrix


def task_names(names: Sequence[str] | None, n_tasks: int) -> list[str]:
    """The given task names, or ``task_0``, ``task_1``, … when None.

    Raises:
        InputDataError: if the number of names is not `n_tasks`.
    """
    if names is None:
        return [f"task_{t}" for t in range(n_tasks)]
    if len(names) != n_tasks:
        raise InputDataError(f"got {len(names)} task names for {n_tasks} tasks")
    return list(names)


def task_wise(kernel: Callable[..., float]) -> Callable[..., np.ndarray]:
    """Turn a metric of labelled 1-D columns into a metric of (n, t) arrays, one value per task.

    The wrapped function takes ``y_true`` and further arrays, each of shape (n, t) (or (n,)),
    applies `kernel` to the rows where ``y_true[:, task]`` is not NaN, and returns shape (t,),
    NaN for a task without labels. NaN predictions are not masked: they propagate.
    """

    @functools.wraps(kernel)
    def metric(y_true: np.ndarray, *columns: np.ndarray) -> np.ndarray:
        y = as_task_matrix(y_true, "y_true")
        matrices = [as_task_matrix(column, "predictions") for column in columns]
        for matrix in matrices:
            if matrix.shape != y.shape:
                raise InputDataError(
                    f"y_true has shape {y.shape} but an argument has shape {matrix.shape}"
                )
        values = np.full(y.shape[1], np.nan)
        for t in range(y.shape[1]):
            labelled = ~np.isnan(y[:, t])
            if labelled.any():
                values[t] = kernel(y[labelled, t], *(m[labelled, t] for m in matrices))
        return values

    # help() and IDEs show the kernel's argument names with the per-task return type
    metric.__signature__ = inspect.signature(kernel).replace(return_annotation="np.ndarray")
    return metric
