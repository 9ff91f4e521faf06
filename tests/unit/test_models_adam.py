"""Athanor's Adam: the arithmetic of torch.optim.Adam without importing torch._dynamo."""

import subprocess
import sys

import torch

from athanor.models.adam import Adam


def _train(make_optimizer, steps: int = 30) -> list[torch.Tensor]:
    """Train a small network whose last layer gets no gradient on odd steps."""
    torch.manual_seed(0)
    body, head = torch.nn.Linear(5, 8), torch.nn.Linear(8, 1)
    optimizer = make_optimizer([*body.parameters(), *head.parameters()])
    data = torch.randn(steps, 16, 5)
    for step, x in enumerate(data):
        optimizer.param_groups[0]["lr"] = 1e-3 * (1 + step % 4)  # a schedule, as in training
        optimizer.zero_grad(set_to_none=True)
        hidden = torch.relu(body(x))
        loss = head(hidden).pow(2).mean() if step % 2 == 0 else hidden.mean()
        loss.backward()
        optimizer.step()
    return [p.detach().clone() for p in [*body.parameters(), *head.parameters()]]


def test_updates_are_bit_identical_to_torch_adam_with_a_schedule_and_missing_gradients():
    ours = _train(lambda params: Adam(params, lr=1e-3))
    torchs = _train(lambda params: torch.optim.Adam(params, lr=1e-3))
    assert all(torch.equal(a, b) for a, b in zip(ours, torchs, strict=True))
    assert not torch.equal(ours[0], _train(lambda params: Adam(params, lr=1e-3), steps=2)[0])


def test_training_a_dmpnn_does_not_import_torch_dynamo():
    script = (
        "import sys\n"
        "from athanor.models import DMPNNRegressor\n"
        "DMPNNRegressor(epochs=1, hidden_size=16, ffn_hidden_size=16, seed=0).fit(\n"
        "    ['CCO', 'CCN', 'c1ccccc1', 'CC(=O)O'], [0.1, 0.2, 0.3, 0.4],\n"
        "    val=(['CCC'], [0.2]))\n"
        "print(sorted(m for m in sys.modules if m.startswith('torch._dynamo')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
