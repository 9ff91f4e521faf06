"""Search spaces and tuning configs are refused before any trial runs."""

from __future__ import annotations

import tomllib

import optuna
import pytest

from athanor.core.config import validate_config
from athanor.core.errors import ConfigError
from athanor.core.toml_writer import dumps_toml
from athanor.tuning.config import TuneConfig
from athanor.tuning.space import (
    Choice,
    FloatRange,
    IntRange,
    SearchSpace,
    check_space,
    resolve_space,
)


def space(**ranges) -> SearchSpace:
    return validate_config(SearchSpace, {"ranges": ranges})


def test_unknown_parameter_names_the_models_parameters():
    with pytest.raises(ConfigError, match=r"no parameter.*'n_layers'.*its parameters: .*depth"):
        check_space("dmpnn", space(n_layers={"int": [1, 3]}))


@pytest.mark.parametrize(
    "bad",
    [{"int": [6, 2]}, {"float": [0.3, 0.3]}, {"float": [0.0, 0.1], "log": True}, {"choice": []}],
)
def test_empty_or_inverted_range_is_refused(bad):
    name = "max_features" if "float" in bad else "n_estimators"
    with pytest.raises(ConfigError, match=f"search range of '{name}'"):
        check_space("rf", space(**{name: bad}))


def test_a_space_without_any_range_is_refused():
    with pytest.raises(ConfigError, match="no ranges"):
        resolve_space("rf", space())


def test_unknown_range_key_names_the_allowed_ones():
    with pytest.raises(ConfigError, match="allowed: int, log, step"):
        validate_config(SearchSpace, {"ranges": {"depth": {"int": [1, 2], "stepp": 1}}})


def test_fixed_and_searched_parameter_is_refused():
    with pytest.raises(ConfigError, match="both searched and fixed"):
        validate_config(SearchSpace, {"ranges": {"depth": {"int": [1, 2]}}, "fixed": {"depth": 3}})


def test_final_parameter_that_is_searched_is_refused():
    with pytest.raises(ConfigError, match="both searched and final"):
        searched = {"epochs": {"int": [5, 9]}}
        validate_config(SearchSpace, {"ranges": searched, "final": {"epochs": 9}})


def test_final_parameter_the_model_lacks_is_refused():
    with pytest.raises(ConfigError, match=r"no parameter.*'epoch'"):
        resolve_space("dmpnn", validate_config(SearchSpace, {"final": {"epoch": 50}}))


def test_final_parameters_leave_the_default_ranges_and_the_fingerprint():
    resolved = resolve_space("dmpnn", validate_config(SearchSpace, {"final": {"epochs": 50}}))
    assert "epochs" not in resolved.ranges and "depth" in resolved.ranges
    base = {"model": "dmpnn", "data": {"dataset": "esol"}, "space": {"fixed": {"epochs": 5}}}
    longer = {**base, "space": {"fixed": {"epochs": 5}, "final": {"patience": 10}}}
    a, b = (validate_config(TuneConfig, config) for config in (base, longer))
    assert a.fingerprint() == b.fingerprint()  # a stored study stays usable


@pytest.mark.parametrize("model", ["rf", "lightgbm", "gp", "dmpnn"])
def test_default_spaces_fit_their_models(model):
    check_space(model, resolve_space(model))


def test_fixed_parameters_leave_the_default_ranges():
    fixed_only = validate_config(SearchSpace, {"fixed": {"epochs": 5}})
    resolved = resolve_space("dmpnn", fixed_only)
    assert "epochs" not in resolved.ranges and "depth" in resolved.ranges
    assert resolved.fixed == {"epochs": 5}


def test_sampled_parameters_lie_in_their_ranges():
    searched = space(depth={"int": [2, 4]}, max_lr={"float": [1e-4, 1e-2], "log": True})
    searched = searched.model_copy(update={"fixed": {"epochs": 3}})
    params = searched.sample(optuna.trial.FixedTrial({"depth": 3, "max_lr": 1e-3}))
    assert params == {"epochs": 3, "depth": 3, "max_lr": 1e-3}
    assert searched.draws_of({"depth": 5, "max_lr": 1e-3, "dropout": 0.1}) == {"max_lr": 1e-3}


def test_fingerprint_ignores_budget_but_not_the_space():
    base = {"model": "rf", "data": {"dataset": "esol"}}
    a = validate_config(TuneConfig, base)
    b = validate_config(TuneConfig, {**base, "n_trials": 99, "n_jobs": 2})
    c = validate_config(TuneConfig, {**base, "space": {"ranges": {"radius": {"int": [1, 2]}}}})
    assert a.fingerprint() == b.fingerprint() != c.fingerprint()


def test_trial_seeds_change_the_fingerprint_only_when_set():
    base = {"model": "rf", "data": {"dataset": "esol"}}
    one = validate_config(TuneConfig, base)
    assert validate_config(TuneConfig, {**base, "trial_seeds": 1}).fingerprint() == (
        one.fingerprint()
    )  # studies made before the option still resume
    assert validate_config(TuneConfig, {**base, "trial_seeds": 3}).fingerprint() != (
        one.fingerprint()
    )


def test_bad_objectives_are_refused():
    with pytest.raises(ConfigError, match="objectives"):
        validate_config(
            TuneConfig, {"model": "rf", "data": {"dataset": "esol"}, "objectives": ["fit_seconds"]}
        )


def test_toml_writer_round_trips():
    data = {"a": 1, "b": {"c": [1, 2.5e-05], "d": 'x"y', "e": None, "f": {"g": True}}}
    assert tomllib.loads(dumps_toml(data)) == {
        "a": 1,
        "b": {"c": [1, 2.5e-05], "d": 'x"y', "f": {"g": True}},
    }


def test_range_ends_are_the_values_a_trial_can_draw_at_the_edges():
    assert IntRange(int=(100, 1050), step=100).ends() == [100, 1000]
    assert IntRange(int=(3, 3)).ends() == [3]
    assert FloatRange(float=(0.5, 3.0)).ends() == [0.5, 3.0]
    assert Choice(choice=[1024, "big"]).ends() == [1024, "big"]
