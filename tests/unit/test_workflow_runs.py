"""Looking a campaign up by name: a miss names the known ones and a campaign of another kind."""

from __future__ import annotations

import pytest

from athanor.core.errors import InputDataError
from athanor.workflows.design_config import DesignConfig
from athanor.workflows.runs import stored_config


def test_a_campaign_of_another_kind_is_pointed_out(store):
    store.start_run("design", "d1", {"name": "d1"})
    with pytest.raises(InputDataError, match=r"\(known: none\); 'd1' is a design campaign"):
        stored_config(store, "screen", "d1", DesignConfig)
