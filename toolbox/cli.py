"""The ``ccd`` command line: ``ccd <tool-id> --param value …``.

Parameters are generated from the tool declarations: the QGIS name in lower
case with ``-`` for ``_`` (``ID_FIELD`` → ``--id-field``). Exit codes:
0 done, 1 unexpected error, 2 bad arguments, 3 bad input data, 4 a file could
not be read or written (or would overwrite an input), 130 canceled (Ctrl-C,
SIGTERM).

Before any work a tool's inputs must exist and every output location is
checked against them (:func:`toolbox.tables.check_outputs`); outputs are
written to temporary siblings and moved into place together at the end
(:mod:`toolbox.atomic`), so a failure or a cancel changes no file.
"""

import argparse
import os
import signal
import sys
import traceback
import warnings
from typing import Dict, List, Optional, Sequence

from spatial.errors import InputError

from . import __doc__ as package_doc
from .parameters import (BooleanInput, EnumInput, FieldInput, FileInput, FileOutput, FolderOutput,
                         NumberInput, NumberListInput, PathOutput, TableInput, TableOutput,
                         TextInput)
from .atomic import FolderCommit, OutputConflict, StagedOutputs
from .jit import without_compilation
from .failures import (EXIT_CANCELED, EXIT_INPUT, EXIT_IO, EXIT_OK, EXIT_UNEXPECTED, EXIT_USAGE,
                       explain)
from .tables import (TEXT_SUFFIXES, Layer, TableIOError, check_outputs, read_layer, split_source,
                     tool_table, write_file, write_table)
from .progress import ConsoleFeedback
from .tool import Tool
from .tools import catalog, entry as entry_of, tool as tool_of

__all__ = ["main", "run_tool", "build_parser", "EXIT_OK", "EXIT_UNEXPECTED", "EXIT_USAGE",
           "EXIT_INPUT", "EXIT_IO", "EXIT_CANCELED", "InputError", "TableIOError"]


STUDY_COMMANDS = ("run", "demo")


class UsageError(Exception):
    """The command line is incomplete (exit 2)."""


def number_list(text: str) -> List[float]:
    try:
        return [float(part) for part in text.replace(";", ",").split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected numbers separated by commas, got {text!r}")


def field_list(values: List[str]) -> List[str]:
    """Fields given as separate words or comma separated, or both."""
    return [name.strip() for value in values for name in value.split(",") if name.strip()]


def _add_argument(parser: argparse.ArgumentParser, parameter) -> None:
    help_text = parameter.description
    kwargs: Dict[str, object] = {"dest": parameter.name}
    if isinstance(parameter, TableOutput):
        kwargs.update(metavar="PATH", help=help_text + " (.csv, .gpkg, .shp, .geojson, .parquet, …)")
    elif isinstance(parameter, FileOutput):
        kwargs.update(metavar="PATH", help=f"{help_text} (.{parameter.extension})")
    elif isinstance(parameter, FolderOutput):
        kwargs.update(metavar="DIR", required=not parameter.optional, help=help_text)
    elif isinstance(parameter, FileInput):
        kwargs.update(metavar="PATH", help=help_text + " (" + ", ".join(
            "." + e for e in parameter.extensions) + ")")
    elif isinstance(parameter, TableInput):
        kwargs.update(metavar="PATH", required=not parameter.optional,
                      help=help_text + " (.csv, .parquet, .geoparquet or any OGR format; "
                           "'file.gpkg|layername=NAME')")
    elif isinstance(parameter, FieldInput):
        kwargs.update(metavar="FIELD", help=help_text)
        if parameter.multiple:
            kwargs["nargs"] = "+"
    elif isinstance(parameter, EnumInput):
        kwargs.update(choices=parameter.values, default=parameter.default,
                      help=help_text + "; " + "; ".join(f"{v}: {label}" for v, label in parameter.options)
                      + f" (default {parameter.default})")
    elif isinstance(parameter, BooleanInput):
        kwargs.update(action=argparse.BooleanOptionalAction, default=parameter.default, help=help_text)
    elif isinstance(parameter, NumberInput):
        kwargs.update(type=int if parameter.integer else float, default=parameter.default,
                      metavar="N", help=help_text + ("" if parameter.default is None
                                                     else f" (default {parameter.default})"))
    elif isinstance(parameter, NumberListInput):
        kwargs.update(type=number_list, default=parameter.default, metavar="A,B,…", help=help_text)
    elif isinstance(parameter, TextInput):
        kwargs.update(default=parameter.default, metavar="TEXT",
                      help=help_text + ("" if parameter.default is None else f" (default {parameter.default})"))
    if (not isinstance(parameter, (TableOutput, FileOutput, BooleanInput)) and not parameter.optional
            and parameter.default is None):
        kwargs["required"] = True
    parser.add_argument(parameter.flag, **kwargs)


def build_parser(full: Optional[Sequence[str]] = None) -> argparse.ArgumentParser:
    """The parser of every command; tools named in ``full`` (default: all) get
    their parameters, the others only their title, so that building it for
    ``ccd TOOL`` imports TOOL's module only (:func:`toolbox.tools.catalog`)."""
    parser = argparse.ArgumentParser(
        prog="ccd",
        description=package_doc.strip().splitlines()[0],
        epilog="Run 'ccd TOOL --help' for a tool's parameters. Exit codes: 0 done, "
               "1 unexpected error, 2 bad arguments, 3 bad input data, 4 file not readable or "
               "writable, 130 canceled.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quiet", action="store_true", help="print warnings and errors only")
    parser.add_argument("--debug", action="store_true",
                        help="show the Python traceback when a run stops with an error")
    commands = parser.add_subparsers(dest="command", metavar="TOOL")
    for entry in _listed(full):
        if full is not None and entry.id not in full:
            commands.add_parser(entry.id, help=entry.title)
            continue
        tool = tool_of(entry.id)
        sub = commands.add_parser(tool.id, help=tool.title, description=tool.title + "\n\n" + tool.help,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
        for parameter in tool.parameters + tool.outputs:
            if not isinstance(parameter, PathOutput):
                _add_argument(sub, parameter)
        if any(isinstance(o, (TableOutput, FileOutput)) for o in tool.outputs):
            sub.add_argument("--overwrite", action="store_true",
                             help="replace an existing layer of a GeoPackage named by an output "
                                  "(other files named by an output are always replaced)")
        _add_debug(sub)
    study = commands.add_parser(
        "run", help="Run a whole study from a TOML config (every table, layer, figure, HTML report)",
        description="Runs every step of a study config (docs/study-config.md) and writes study.gpkg, "
                    "tables/*.csv, figures/*.png, report.html and study-resolved.toml to the output "
                    "folder; prints the folder's path last.")
    study.add_argument("config", metavar="STUDY.toml", help="the study config")
    study.add_argument("--output-dir", metavar="DIR",
                       help="folder for the results (default: the config's output.dir, else "
                            "<config name>-results beside the config)")
    study.add_argument("--jobs", type=int, default=None, metavar="N",
                       help="N > 1 runs the independent steps (drivers, spatial, …) in N local "
                            "processes, 1 runs everything here (default: every core, at most 4, "
                            "or 1 when the unit-year results exceed 256 MiB); results do not "
                            "depend on it")
    study.add_argument("--scheduler", metavar="ADDRESS",
                       help="run the independent steps on a running Dask cluster "
                            "(tcp://host:8786), or 'local' for a Dask LocalCluster of --jobs "
                            "workers; needs the optional extra: pip install '.[dask]'")
    demo = commands.add_parser(
        "demo", help="The demo study on the bundled demo data (real city polygons, synthetic panel)",
        description="Runs the demo study (examples/demo-study.toml) on China's prefecture-level "
                    "cities with a SYNTHETIC panel; prints the output folder's path last.")
    demo.add_argument("--output-dir", default="output/demo", metavar="DIR",
                      help="folder for the results (default output/demo)")
    demo.add_argument("--jobs", type=int, default=None, metavar="N", help="as for 'ccd run'")
    demo.add_argument("--scheduler", metavar="ADDRESS", help="as for 'ccd run'")
    _add_debug(study)
    _add_debug(demo)
    return parser


def _listed(full: Optional[Sequence[str]]):
    """The tools :func:`build_parser` lists: those named in ``full`` when every
    name is a tool or a study command (``ccd TOOL`` needs no other tool's
    title), else all of them, so that a mistyped name is answered with the
    list (:func:`toolbox.tools.catalog`)."""
    if full:
        found = {name: entry_of(name) for name in full if name not in STUDY_COMMANDS}
        if all(found.values()):
            return list(found.values())
    return catalog()


def _add_debug(parser: argparse.ArgumentParser) -> None:
    """``--debug`` after the command too (``ccd run x.toml --debug``)."""
    parser.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show the Python traceback when the run stops with an error")


def run_tool(tool: Tool, arguments: Dict[str, object], feedback,
             overwrite: Optional[bool] = None) -> Dict[str, str]:
    """Check the locations, read the inputs, run ``tool`` and write its outputs;
    returns output name → path.

    Nothing is read or computed before every input exists and every output
    location has passed :func:`toolbox.tables.check_outputs`; the outputs are
    staged and moved into place together once all are written.
    """
    if overwrite is None:
        overwrite = bool(arguments.get("overwrite"))
    destinations = {o.name: arguments.get(o.name) for o in tool.outputs
                    if arguments.get(o.name) and not isinstance(o, FolderOutput)}
    folders = {o.name: arguments[o.name] for o in tool.outputs
               if isinstance(o, FolderOutput) and arguments.get(o.name)}
    if not destinations and not folders:
        raise UsageError("give at least one output path: "
                         + ", ".join(o.flag for o in tool.outputs if not isinstance(o, PathOutput)))
    sources = {}
    for parameter in tool.parameters:
        value = arguments.get(parameter.name)
        if isinstance(parameter, (TableInput, FileInput)) and value is not None:
            path = split_source(str(value))[0]
            if not os.path.exists(path):
                raise TableIOError(f"{parameter.flag} {path}: input file not found")
            if isinstance(parameter, FileInput) and os.path.isdir(path):
                raise TableIOError(f"{parameter.flag} {path}: is a folder, not a file")
            sources[parameter.flag] = str(value)
    check_outputs(sources, {tool.parameter(name).flag: str(path) for name, path in destinations.items()},
                  overwrite=overwrite,
                  tables=[tool.parameter(name).flag for name in destinations
                          if isinstance(tool.parameter(name), TableOutput)])
    for name, folder in folders.items():
        FolderCommit(str(folder), inputs=sources.values(), what=tool.parameter(name).flag)

    layers = {}
    values: Dict[str, object] = {}
    arrays = reads_arrays(tool, arguments, destinations)
    for parameter in tool.parameters:
        value = arguments.get(parameter.name)
        if isinstance(parameter, TableInput) and value is not None:
            layers[parameter.name] = read_layer(
                value, feedback, numeric_fields=fields_of(tool, arguments, parameter.name, True),
                arrays=arrays and parameter.geometry != "none",
                fields=fields_of(tool, arguments, parameter.name))
            value = tool_table(layers[parameter.name], parameter.geometry, f"{parameter.flag} {value}")
        elif isinstance(parameter, FieldInput) and parameter.multiple and value is not None:
            value = field_list(value)
        values[parameter.name] = value
    values.update({name: os.path.abspath(str(folder)) for name, folder in folders.items()})
    # file outputs (and the tables of an array_layers tool) by destination, None when not
    # asked for: a tool may skip making those
    values.update({o.name: destinations.get(o.name) for o in tool.outputs
                   if isinstance(o, FileOutput) or (tool.array_layers and isinstance(o, TableOutput))})
    results = tool.run(values, feedback)
    for output in tool.outputs:
        if isinstance(output, (PathOutput, FolderOutput)) and results.get(output.name):
            feedback.info(f"{output.name}: {results[output.name]}")
    written = []
    with StagedOutputs() as staged:
        for output in tool.outputs:
            if output.name not in destinations or results.get(output.name) is None:
                continue
            if isinstance(output, FileOutput):
                write_file(results[output.name], destinations[output.name], staged=staged)
            elif isinstance(output, TableOutput) and output.geometry:
                table, own = made_geometry(results[output.name])
                write_table(table, destinations[output.name], layer=own, geometry=True,
                            staged=staged, feedback=feedback)
            else:
                source = geometry_source(output, layers)
                write_table(results[output.name], destinations[output.name], layer=source,
                            geometry=source is not None, staged=staged, feedback=feedback)
            written.append(output.name)
    for name in written:
        feedback.info(f"{name}: {destinations[name]}")
    return destinations


def reads_arrays(tool: Tool, arguments: Dict[str, object], destinations: Dict[str, object]) -> bool:
    """Whether ``tool``'s layers are read as :class:`toolbox.tables.ArrayLayer`:
    the tool takes them (``Tool.array_layers``), no unit attributes are joined
    (UNITS) and every table it is asked to write is text, so neither pandas
    nor geopandas need be loaded to read (``ccd spatialweights`` writing a
    .gal file)."""
    return bool(tool.array_layers) and not arguments.get("UNITS") and all(
        not isinstance(tool.parameter(name), TableOutput)
        or split_source(str(path))[0].lower().endswith(TEXT_SUFFIXES)
        for name, path in destinations.items())


def fields_of(tool: Tool, arguments: Dict[str, object], table: str,
              numeric: bool = False) -> List[str]:
    """The fields of the input ``table`` that ``tool`` is given (its field
    parameters; the numeric ones only with ``numeric``)."""
    given = [arguments.get(p.name) for p in tool.parameters
             if isinstance(p, FieldInput) and p.parent == table and (p.numeric or not numeric)]
    return [f for v in given if v for f in (field_list(v) if isinstance(v, list) else [v])]


def made_geometry(frame):
    """(attributes, layer) of a GeoDataFrame whose geometries a tool made, for
    :func:`toolbox.tables.write_table`."""
    import pandas as pd

    table = pd.DataFrame(frame.drop(columns=frame.geometry.name)).reset_index(drop=True)
    return table, Layer(table, frame.geometry.reset_index(drop=True), frame.crs)


def geometry_source(output, layers):
    """The input layer whose geometry ``output`` rows carry: the first of its
    ``geometry_from`` inputs that was given and has geometry."""
    for name in output.geometry_from:
        layer = layers.get(name)
        if layer is not None and layer.geometry is not None:
            return layer
    return None


def _check_output_dir(folder: Optional[str]) -> None:
    if folder and os.path.lexists(folder) and not os.path.isdir(folder):
        raise OutputConflict(f"--output-dir {folder} is an existing file, not a folder; give a "
                             "folder (it is created if it does not exist)")


def _interrupt(signum, frame):
    """SIGTERM handled like Ctrl-C, so that staged outputs are discarded on the way out."""
    raise KeyboardInterrupt


def _dispatch(arguments, feedback) -> None:
    if arguments.command == "demo":
        from .demo import run_demo

        _check_output_dir(arguments.output_dir)
        run_demo(arguments.output_dir, feedback, jobs=arguments.jobs, scheduler=arguments.scheduler)
    elif arguments.command == "run":
        from .pipeline import run

        _check_output_dir(arguments.output_dir)
        if not os.path.isfile(arguments.config):
            raise TableIOError(f"study config not found: {arguments.config}")
        print(run(arguments.config, arguments.output_dir, feedback, jobs=arguments.jobs,
                  scheduler=arguments.scheduler))
    else:
        run_tool(tool_of(arguments.command), vars(arguments), feedback)


def main(argv: Optional[List[str]] = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    without_compilation()
    # the command is the first word that is not an option (the options before it take no value)
    command = next((word for word in argv if not word.startswith("-")), None)
    parser = build_parser(full=[command] if command else [])
    arguments = parser.parse_args(argv)  # bad arguments: argparse exits with 2
    if arguments.command is None:
        parser.print_help()
        return EXIT_USAGE
    feedback = ConsoleFeedback(quiet=arguments.quiet)
    debug = getattr(arguments, "debug", False)
    previous = None
    if hasattr(signal, "SIGTERM") and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        try:
            previous = signal.signal(signal.SIGTERM, _interrupt)
        except ValueError:  # not the main thread
            previous = None
    try:
        with warnings.catch_warnings():
            if not debug:  # tools report through feedback; libraries' own warnings only with --debug
                warnings.simplefilter("ignore")
            _dispatch(arguments, feedback)
    except UsageError as error:
        feedback.finish()
        print(f"ccd {arguments.command}: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BaseException as error:  # every failure leaves as a message and an exit code
        if isinstance(error, SystemExit):
            raise
        code, message = explain(error)
        feedback.finish()
        if debug:
            traceback.print_exc()
        print(f"ccd {arguments.command}: {message}", file=sys.stderr)
        return code
    finally:
        feedback.finish()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
