"""The D-MPNN surrogate: chemprop-style graph network with multi-task, multi-component inputs
and a choice of uncertainty (deep ensemble, mean-variance, evidential, MC dropout)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Literal, Self

import numpy as np
import torch
from pydantic import Field, PositiveInt

from athanor.core.config import StrictModel, validate_config
from athanor.core.errors import ConfigError, InputDataError
from athanor.core.prediction import Prediction
from athanor.models.base import (
    Molecules,
    Surrogate,
    ValidationData,
    as_components,
    as_conditions,
    as_targets,
)
from athanor.models.featurizers.fingerprints import DescriptorFeaturizer
from athanor.models.featurizers.graph import GraphFeaturizer
from athanor.models.likelihoods import EvidentialLikelihood, GaussianLikelihood, PointLikelihood
from athanor.models.mpnn import MPNNNetwork, consistent_dropout
from athanor.models.persistence import ModelFileError, load_weights, save_weights
from athanor.models.registry import register
from athanor.models.scaling import Standardizer
from athanor.models.training import (
    EpochCallback,
    MoleculeData,
    Precision,
    Schedule,
    batch_indices,
    bf16_is_native,
    run_network,
    torch_threads,
    train_network,
)
from athanor.models.uncertainty import combine_members, evidential_variance, unscale

logger = logging.getLogger(__name__)

Uncertainty = Literal["none", "ensemble", "mve", "evidential", "dropout"]
MoleculeFeatures = Literal["none", "descriptors"]
PREDICT_BATCH_SIZE = 64  # larger batches overflow the CPU caches: slower on one core
WEIGHTS_FILE = "weights.pt"


class _Params(StrictModel):
    """Types and bounds of the constructor parameters (defaults live in the constructor)."""

    hidden_size: PositiveInt
    depth: PositiveInt
    dropout: float = Field(ge=0, lt=1)
    aggregation: Literal["mean", "sum", "norm"]
    ffn_hidden_size: PositiveInt
    ffn_layers: int = Field(ge=0)
    shared_encoder: bool
    molecule_features: MoleculeFeatures
    epochs: PositiveInt
    batch_size: PositiveInt
    warmup_epochs: float = Field(ge=0)
    init_lr: float = Field(gt=0)
    max_lr: float = Field(gt=0)
    final_lr: float = Field(gt=0)
    patience: PositiveInt | None
    uncertainty: Uncertainty
    ensemble_size: PositiveInt
    dropout_samples: PositiveInt
    evidential_regularization: float = Field(ge=0)
    progress: bool
    n_threads: PositiveInt
    precision: Literal["auto", "fp32", "bf16"]
    seed: int


@register("dmpnn")
class DMPNNRegressor(Surrogate):
    """Directed message-passing neural network regressor (Yang et al. 2019, as chemprop v2).

    Args:
        hidden_size: width of bond messages and molecule vectors.
        depth: message-passing steps.
        dropout: dropout probability in the encoder and head.
        aggregation: atoms → molecule: ``"mean"``, ``"sum"`` or ``"norm"`` (sum / 100).
        ffn_hidden_size: width of the head's hidden layers.
        ffn_layers: hidden layers in the head.
        shared_encoder: multi-component inputs share one encoder (else one per component).
        molecule_features: ``"descriptors"`` joins the 217 RDKit 2-D descriptors of each
            component (standardised on the training set, as `DescriptorFeaturizer`) to the
            learned molecule vectors before the head, like chemprop's
            ``--molecule-featurizers rdkit_2d``; ``"none"``: the graphs alone.
        epochs, batch_size: training length and mini-batch size (molecules).
        warmup_epochs, init_lr, max_lr, final_lr: Noam-like learning-rate schedule.
        patience: with validation data, stop after this many epochs without improvement
            (None: train all epochs and keep the best one).
        uncertainty: ``"none"`` (std 0 unless ensembled), ``"ensemble"`` (deep ensemble of
            ``ensemble_size`` >= 2 networks), ``"mve"`` (mean-variance estimation),
            ``"evidential"`` (deep evidential regression) or ``"dropout"`` (MC dropout, needs
            ``dropout`` > 0). ``ensemble_size`` > 1 ensembles any of them.
        ensemble_size: networks trained from seeds ``seed, seed + 1, ...``.
        dropout_samples: forward passes with dropout on, for ``"dropout"``. Each pass drops
            the same features of every molecule, with masks drawn from ``seed``: a molecule's
            prediction does not depend on the other molecules predicted with it.
        evidential_regularization: evidence regulariser weight for ``"evidential"``.
        progress: show a progress bar over epochs while training.
        n_threads: torch threads while fitting and predicting. One by default: Athanor
            runs work in parallel across processes, and a second thread on a busy 2-core
            machine made campaign rounds 4-10x slower.
        precision: of the matrix products in training and prediction: ``"fp32"``,
            ``"bf16"`` (bf16 products on batches padded to a few shapes; weights, sums and
            losses stay float32), or ``"auto"``: bf16 where the CPU has bf16 instructions
            (AVX512-BF16, AMX), where it trained 1.4-2.2x faster here, else fp32. ``"auto"``
            is resolved when fitting, and the fitted model (saved or not) keeps predicting at
            that precision on any machine.
        seed: makes featurisation order, initialisation, shuffling and dropout reproducible.
    """

    def __init__(
        self,
        *,
        hidden_size: int = 300,
        depth: int = 3,
        dropout: float = 0.0,
        aggregation: str = "norm",
        ffn_hidden_size: int = 300,
        ffn_layers: int = 1,
        shared_encoder: bool = False,
        molecule_features: str = "none",
        epochs: int = 50,
        batch_size: int = 64,
        warmup_epochs: float = 2.0,
        init_lr: float = 1e-4,
        max_lr: float = 1e-3,
        final_lr: float = 1e-4,
        patience: int | None = None,
        uncertainty: Uncertainty = "none",
        ensemble_size: int = 1,
        dropout_samples: int = 20,
        evidential_regularization: float = 0.2,
        progress: bool = False,
        n_threads: int = 1,
        precision: str = "auto",
        seed: int = 0,
    ):
        self.hidden_size = hidden_size
        self.depth = depth
        self.dropout = dropout
        self.aggregation = aggregation
        self.ffn_hidden_size = ffn_hidden_size
        self.ffn_layers = ffn_layers
        self.shared_encoder = shared_encoder
        self.molecule_features = molecule_features
        self.epochs = epochs
        self.batch_size = batch_size
        self.warmup_epochs = warmup_epochs
        self.init_lr = init_lr
        self.max_lr = max_lr
        self.final_lr = final_lr
        self.patience = patience
        self.uncertainty = uncertainty
        self.ensemble_size = ensemble_size
        self.dropout_samples = dropout_samples
        self.evidential_regularization = evidential_regularization
        self.progress = progress
        self.n_threads = n_threads
        self.precision = precision
        self.seed = seed

    def check_params(self) -> bool:
        """Check the hyper-parameter values (and their combinations) without fitting.

        Raises:
            ConfigError: a value the model does not take.
        """
        self._checked_params()
        return True

    def _checked_params(self) -> _Params:
        params = validate_config(_Params, self.get_params())
        if params.uncertainty == "ensemble" and params.ensemble_size < 2:
            raise ConfigError("uncertainty='ensemble' needs ensemble_size >= 2")
        if params.uncertainty == "dropout" and params.dropout == 0:
            raise ConfigError("uncertainty='dropout' needs dropout > 0")
        return params

    def _precision_on_this_machine(self) -> Precision:
        """The precision ``precision`` resolves to on this machine (what fitting uses)."""
        if self.precision == "auto":
            return "bf16" if bf16_is_native() else "fp32"
        return self.precision

    def _matmul_precision(self) -> Precision:
        """The precision of predictions: ``precision`` if set explicitly, else the one
        ``"auto"`` resolved to when fitting, so that a model predicts on every machine at the
        precision it was trained and calibrated at."""
        return self.precision_ if self.precision == "auto" else self.precision

    def _likelihood(self) -> PointLikelihood:
        if self.uncertainty == "mve":
            return GaussianLikelihood()
        if self.uncertainty == "evidential":
            return EvidentialLikelihood(self.evidential_regularization)
        return PointLikelihood()

    def _featurize(
        self, smiles: Molecules, conditions: np.ndarray | None, y: np.ndarray | None = None
    ) -> MoleculeData:
        """Featurise rows (graphs are cached per SMILES); targets and conditions are scaled."""
        components = as_components(smiles)
        n = len(components[0])
        if hasattr(self, "n_components_") and len(components) != self.n_components_:
            raise InputDataError(
                f"the model takes {self.n_components_} molecule(s) per row, got {len(components)}"
            )
        if not hasattr(self, "_featurizer"):
            self._featurizer = GraphFeaturizer()
        conditions = as_conditions(conditions, n)
        if (conditions is None) != (getattr(self, "condition_scaler_", None) is None):
            raise InputDataError("give conditions at prediction exactly when fitted with them")
        extra = [] if conditions is None else [self.condition_scaler_.transform(conditions)]
        extra += [f.transform(components[i]) for i, f in enumerate(self.descriptors_)]
        return MoleculeData(
            graphs=[self._featurizer(column) for column in components],
            targets=None if y is None else self.target_scaler_.transform(y),
            conditions=np.hstack(extra) if extra else None,
        )

    def _new_network(self) -> MPNNNetwork:
        n_descriptors = sum(featurizer.width for featurizer in self.descriptors_)
        return MPNNNetwork(
            self.n_components_,
            self.n_conditions_ + n_descriptors,
            self._likelihood().n_params * self.n_tasks_,
            hidden_size=self.hidden_size,
            depth=self.depth,
            dropout=self.dropout,
            aggregation=self.aggregation,
            shared_encoder=self.shared_encoder,
            ffn_hidden_size=self.ffn_hidden_size,
            ffn_layers=self.ffn_layers,
        )

    def _set_shapes(self, n_components: int, n_tasks: int, n_conditions: int) -> None:
        self.n_components_, self.n_tasks_, self.n_conditions_ = n_components, n_tasks, n_conditions

    def fit(
        self,
        smiles: Molecules,
        y: np.ndarray,
        *,
        conditions: np.ndarray | None = None,
        val: ValidationData | None = None,
        on_epoch: EpochCallback | None = None,
    ) -> Self:
        """Train ``ensemble_size`` networks (see `Surrogate.fit` for shapes).

        Args:
            on_epoch: called as ``on_epoch(epoch, val_loss)`` after each epoch of the first
                network (ensemble members differ only by seed), with the validation loss the
                best epoch is chosen by; an exception it raises (e.g. ``optuna.TrialPruned``)
                stops the training and propagates. Needs ``val``.

        Raises:
            InputDataError: ``on_epoch`` without ``val``; bad shapes (see `Surrogate.fit`).
        """
        if on_epoch is not None and val is None:
            raise InputDataError("on_epoch reports validation losses: give val data too")
        with torch_threads(self.n_threads):
            return self._fit(smiles, y, conditions, val, on_epoch)

    def _fit(
        self,
        smiles: Molecules,
        y: np.ndarray,
        conditions: np.ndarray | None,
        val: ValidationData | None,
        on_epoch: EpochCallback | None,
    ) -> Self:
        params = self._checked_params()
        components = as_components(smiles)
        targets = as_targets(y, len(components[0]))
        conditions = as_conditions(conditions, len(targets))
        n_conditions = 0 if conditions is None else conditions.shape[1]
        self._set_shapes(len(components), targets.shape[1], n_conditions)
        self.target_scaler_ = Standardizer.fit(targets)
        self.condition_scaler_ = None if conditions is None else Standardizer.fit(conditions)
        descriptors = params.molecule_features == "descriptors"
        self.descriptors_ = (
            [DescriptorFeaturizer().fit(c) for c in components] if descriptors else []
        )
        train = self._featurize(smiles, conditions, targets)
        val_data = self._validation_data(val)
        settings = params.model_dump(include=set(Schedule.__dataclass_fields__))
        self.precision_ = self._precision_on_this_machine()
        logger.info("D-MPNN: %s matrix products (precision=%r)", self.precision_, self.precision)
        schedule = Schedule(**settings | {"precision": self.precision_})
        networks = []
        with torch.random.fork_rng():  # leave the caller's global torch RNG untouched
            for member in range(params.ensemble_size):
                seed = params.seed + member
                torch.manual_seed(seed)
                network, likelihood = self._new_network(), self._likelihood()
                report = on_epoch if member == 0 else None
                networks.append(
                    train_network(
                        network,
                        likelihood,
                        train,
                        val_data,
                        schedule,
                        seed,
                        params.progress,
                        report,
                    )
                )
        self.networks_ = torch.nn.ModuleList(networks)
        return self

    def _validation_data(self, val: ValidationData | None) -> MoleculeData | None:
        if val is None:
            return None
        smiles, y, *rest = val
        targets = as_targets(y, len(as_components(smiles)[0]))
        if targets.shape[1] != self.n_tasks_:
            raise InputDataError(
                f"validation targets have {targets.shape[1]} tasks, not {self.n_tasks_}"
            )
        return self._featurize(smiles, rest[0] if rest else None, targets)

    def _outputs(self, network: MPNNNetwork, data: MoleculeData) -> np.ndarray:
        """Raw outputs of one forward pass over all rows, shape (n, n_params * t)."""
        batches = batch_indices(len(data), PREDICT_BATCH_SIZE)
        precision = self._matmul_precision()
        outputs = [run_network(network, data, index, precision) for index in batches]
        return torch.cat(outputs).numpy().astype(np.float64)

    def _member_outputs(self, data: MoleculeData) -> list[np.ndarray]:
        """Raw outputs (n, n_params * t) of each network, and of each MC-dropout pass.

        The masks of the passes are drawn from ``seed`` alone, one per dropout layer and pass
        shared by every row (`consistent_dropout`): a molecule's outputs do not depend on the
        other rows, their order, or the batches.
        """
        passes = self.dropout_samples if self.uncertainty == "dropout" else 1
        generator = torch.Generator().manual_seed(self.seed)
        outputs = []
        with torch.inference_mode(), torch_threads(self.n_threads):
            for network in self.networks_.eval():
                if passes == 1:
                    outputs.append(self._outputs(network, data))
                    continue
                for _ in range(passes):
                    with consistent_dropout(network, generator):
                        outputs.append(self._outputs(network, data))
        return outputs

    def predict(self, smiles: Molecules, *, conditions: np.ndarray | None = None) -> Prediction:
        """Predictive mean and std, shape (n, n_tasks); samples (s, n, n_tasks) for
        ensembles and MC dropout (see `athanor.models.uncertainty`)."""
        self._check_fitted()
        data = self._featurize(smiles, conditions)
        likelihood, scaler = self._likelihood(), self.target_scaler_
        means, variances = [], []
        for raw in self._member_outputs(data):
            params = [p.numpy() for p in likelihood.params(torch.from_numpy(raw), self.n_tasks_)]
            if self.uncertainty == "evidential":
                variance = evidential_variance(*params[1:])
            else:
                variance = params[1] if len(params) > 1 else np.zeros_like(params[0])
            mean, variance = unscale(params[0], variance, scaler.center, scaler.scale)
            means.append(mean)
            variances.append(variance)
        return combine_members(np.stack(means), np.stack(variances))

    def embed(self, smiles: Molecules, *, conditions: np.ndarray | None = None) -> np.ndarray:
        """Learned fingerprints of the first network: the molecule vectors the head reads.

        Returns:
            shape (n, n_components * hidden_size [+ n_conditions + descriptors]), float32.
        """
        self._check_fitted()
        data = self._featurize(smiles, conditions)
        network = self.networks_[0].eval()
        precision = self._matmul_precision()
        with torch.inference_mode(), torch_threads(self.n_threads):
            batches = batch_indices(len(data), PREDICT_BATCH_SIZE)
            parts = [run_network(network.embed, data, index, precision) for index in batches]
        return torch.cat(parts).numpy()

    def _state(self, directory: Path) -> dict[str, Any]:
        save_weights(directory / WEIGHTS_FILE, self.networks_.state_dict())
        return {
            "n_components": self.n_components_,
            "n_tasks": self.n_tasks_,
            "n_conditions": self.n_conditions_,
            "n_networks": len(self.networks_),
            "target_scaler": self.target_scaler_.to_json(),
            "condition_scaler": None
            if self.condition_scaler_ is None
            else self.condition_scaler_.to_json(),
            "descriptor_scalers": [f.scaler.to_json() for f in self.descriptors_],
            "precision": self.precision_,
        }

    def _restore(self, directory: Path, state: dict[str, Any]) -> None:
        self._set_shapes(state["n_components"], state["n_tasks"], state["n_conditions"])
        # models saved before the precision was: "auto" resolves on the loading machine
        self.precision_ = state.get("precision") or self._precision_on_this_machine()
        self.target_scaler_ = Standardizer.from_json(state["target_scaler"])
        scaler = state["condition_scaler"]
        self.condition_scaler_ = None if scaler is None else Standardizer.from_json(scaler)
        self.descriptors_ = [
            DescriptorFeaturizer(Standardizer.from_json(scaler))
            for scaler in state.get("descriptor_scalers", [])
        ]
        networks = torch.nn.ModuleList(self._new_network() for _ in range(state["n_networks"]))
        weights = load_weights(directory / WEIGHTS_FILE)
        try:
            networks.load_state_dict(weights)
        except RuntimeError as error:
            first_line = str(error).splitlines()[0]
            raise ModelFileError(
                f"{directory / WEIGHTS_FILE} does not match its config: {first_line}"
            ) from None
        self.networks_ = networks.eval()
