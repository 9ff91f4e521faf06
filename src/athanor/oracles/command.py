"""Command oracle: an external program (a docking binary, a DFT code) as an oracle.

The program receives one molecule, as a SMILES line on stdin or as a file whose path replaces
``{input}`` in the command, and reports a JSON object of property values on stdout or in the
file named by ``{output}``. ``{smiles}`` in the command is replaced by the SMILES itself. It
runs in a fresh temporary directory and a session of its own, with one thread per native
library, under a timeout; when it exits or times out, whatever is left of its process group
(e.g. the children of a ``sh -c`` wrapper) is killed. A non-zero exit, a crash, a hang or
unreadable output is a per-item failure that says which. A program that cannot be found is
a `ConfigError` when the oracle is built, before any molecule.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Literal

from athanor.core.config import StrictModel
from athanor.core.errors import ConfigError
from athanor.core.parallel import single_thread_environment
from athanor.core.processes import die_with_parent
from athanor.oracles.base import Oracle, OracleFailure, checked_values
from athanor.oracles.registry import register_oracle


class CommandParameters(StrictModel):
    """Options of the command oracle.

    Attributes:
        command: the program and its arguments (no shell); may contain ``{input}``,
            ``{output}`` and ``{smiles}``.
        properties: property name -> unit, exactly the keys of the JSON object written.
        input: ``"stdin"`` (SMILES + newline) or ``"file"`` (``input.smi`` as ``{input}``).
        output: ``"stdout"`` or ``"file"`` (``output.json`` as ``{output}``).
        timeout_s: seconds before the program and everything it started are killed and the
            item recorded as timeout. Keep it below an executor's per-call timeout: the
            program runs in a session of its own, which a killed worker does not take along.
        program_version: bump it when the program changes (new fingerprint).
    """

    command: tuple[str, ...]
    properties: dict[str, str]
    input: Literal["stdin", "file"] = "stdin"
    output: Literal["stdout", "file"] = "stdout"
    timeout_s: float = 600.0
    program_version: str = "1"


def _excerpt(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _substitute(argument: str, smiles: str, workdir: Path) -> str:
    """Replace the placeholders (not `str.format`: arguments may contain other braces)."""
    return (
        argument.replace("{input}", str(workdir / "input.smi"))
        .replace("{output}", str(workdir / "output.json"))
        .replace("{smiles}", smiles)
    )


def check_program(command: tuple[str, ...]) -> None:
    """Check that the program `command[0]` can be run: a name found on ``PATH``, or the
    absolute path of an executable file (the program runs in a temporary directory, where a
    relative path would not lead to it).

    Raises:
        ConfigError: an empty command, a relative path, or no such executable.
    """
    if not command:
        raise ConfigError("command: give the program and its arguments, e.g. ['vina', ...]")
    program = command[0]
    if os.sep in program and not os.path.isabs(program):
        raise ConfigError(
            f"command: {program!r} is a relative path; give an absolute one (the program "
            "runs in a temporary directory)"
        )
    if shutil.which(program) is None:
        where = "is not an executable file" if os.sep in program else "is not found on PATH"
        raise ConfigError(f"command: the program {program!r} {where}")


def _check_exit(process: subprocess.CompletedProcess) -> None:
    if process.returncode < 0:
        name = signal.Signals(-process.returncode).name
        raise OracleFailure(f"program killed by signal {name}")
    if process.returncode > 0:
        raise OracleFailure(
            f"program exited with status {process.returncode}: {_excerpt(process.stderr)}"
        )


def parse_json_object(text: str) -> dict:
    """The JSON object a program wrote, or `OracleFailure` quoting the garbage."""
    try:
        values = json.loads(text)
    except json.JSONDecodeError:
        values = None
    if not isinstance(values, dict):
        raise OracleFailure(f"program output is not a JSON object: {_excerpt(text)!r}")
    return values


@register_oracle("command")
class CommandOracle(Oracle):
    """Values written as JSON by an external program run once per molecule."""

    version = "1"
    Parameters = CommandParameters

    def __init__(self, parameters: CommandParameters | None = None, **options):
        super().__init__(parameters, **options)
        check_program(self.parameters.command)

    @property
    def properties(self) -> dict[str, str]:
        return dict(self.parameters.properties)

    def evaluate_one(self, smiles: str) -> dict[str, float]:
        params = self.parameters
        with tempfile.TemporaryDirectory(prefix="athanor-command-") as folder:
            workdir = Path(folder)
            (workdir / "input.smi").write_text(smiles + "\n")
            argv = [_substitute(part, smiles, workdir) for part in params.command]
            process = self._run(argv, smiles if params.input == "stdin" else "", workdir)
            _check_exit(process)
            output_file = workdir / "output.json"
            if params.output == "file" and not output_file.is_file():
                raise OracleFailure("program wrote no output file")
            text = output_file.read_text() if params.output == "file" else process.stdout
        return checked_values(parse_json_object(text), self.properties)

    def _run(self, argv: list[str], stdin: str, workdir: Path) -> subprocess.CompletedProcess:
        """Run the program in a session of its own; when it times out or exits, its whole
        process group is killed, so nothing it started (``sh -c``, helper binaries) is left
        running. If the worker running this oracle is killed first (the executor's per-call
        timeout), the program dies with it, but what the program started may not: keep
        ``timeout_s`` below the executor's timeout."""
        try:
            process = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                cwd=workdir,
                env=single_thread_environment(),
                start_new_session=True,
                preexec_fn=die_with_parent,  # a killed worker takes its program along
            )
        except OSError as error:
            raise OracleFailure(f"cannot start {argv[0]!r}: {error}") from None
        with process:
            try:
                stdout, stderr = process.communicate(
                    stdin + "\n" if stdin else "", self.parameters.timeout_s
                )
            except subprocess.TimeoutExpired:
                raise OracleFailure(
                    f"program exceeded its {self.parameters.timeout_s:g} s timeout", "timeout"
                ) from None
            finally:
                _kill_group(process.pid)
        return subprocess.CompletedProcess(argv, process.returncode, stdout, stderr)


def _kill_group(group: int) -> None:
    """SIGKILL every process left in a process group (none left is fine)."""
    with contextlib.suppress(OSError):  # ESRCH: the group is already empty
        os.killpg(group, signal.SIGKILL)
