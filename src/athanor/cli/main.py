"""Entry point of the `athanor` command.

Sub-commands live in their own modules and are imported only when invoked, so that
``athanor --help`` stays fast. Errors raised on purpose (`AthanorError`) are printed as one
line and exit with status 1; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import sys

import click

from athanor._version import __version__
from athanor.core.errors import AthanorError
from athanor.core.interrupts import rdkit_interrupts_raised

# command name -> "module:attribute"; modules are imported on first use
LAZY_COMMANDS: dict[str, str] = {
    "data": "athanor.cli.data:data",
    "demo": "athanor.cli.demo:demo",
    "oracle": "athanor.cli.oracle:oracle",
    "train": "athanor.cli.train:train",
    "predict": "athanor.cli.predict:predict",
    "evaluate": "athanor.cli.evaluate:evaluate",
    "embed": "athanor.cli.embed:embed",
    "screen": "athanor.cli.screen:screen",
    "report": "athanor.cli.report:report",
    "design": "athanor.cli.design:design",
    "generate": "athanor.cli.generate:generate",
    "tune": "athanor.cli.tune:tune",
}

_debug = {"enabled": False}


def _available(name: str) -> bool:
    module = LAZY_COMMANDS[name].split(":")[0]
    return importlib.util.find_spec(module) is not None


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported when first used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in LAZY_COMMANDS if _available(name))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in LAZY_COMMANDS or not _available(name):
            return None
        module, attribute = LAZY_COMMANDS[name].split(":")
        return getattr(importlib.import_module(module), attribute)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="athanor")
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug logs).")
def cli(debug: bool, verbose: int) -> None:
    """Athanor: closed-loop, ML-driven discovery of molecules and materials."""
    _debug["enabled"] = debug
    level = {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)
    logging.basicConfig(level=level, format="%(asctime)s %(name)s %(levelname)s: %(message)s")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit status (used by the console script and tests)."""
    try:
        with rdkit_interrupts_raised():
            status = cli.main(args=argv, prog_name="athanor", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except click.exceptions.Exit as exit_:
        return exit_.exit_code
    except AthanorError as error:
        if _debug["enabled"]:
            raise
        click.echo(f"error: {error}", err=True)
        return 1
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    except Exception as error:  # a bug or an environment problem: still one line by default
        if _debug["enabled"]:
            raise
        kind = "error" if isinstance(error, OSError) else "internal error"
        click.echo(f"{kind}: {type(error).__name__}: {error} (rerun with --debug)", err=True)
        return 1
    return status if isinstance(status, int) else 0


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
