"""The study config: one TOML file that describes a whole study.

:func:`load_study` reads a TOML file and :func:`study_from_dict` validates a
parsed config and resolves every default that does not need the data. The
sections are those of the steps in :mod:`toolbox.steps` (each declares its
keys and checks) plus the runner's own ``title``, ``[report]`` and
``[output]``; :func:`write_study` writes a resolved config back so that a run
can be repeated exactly. ``docs/study-config.md``'s key tables are generated
from the same declarations (``scripts/study_docs.py``).

Every problem with the config raises :class:`StudyConfigError` (an
``InputError``) whose message starts with the key path at fault
(``systems.fintech.positive``) and says what was expected.
"""

import os
from typing import Any, Dict, List, Tuple

from .config import (FLOAT, INT_LIST, STR, Key, StudyConfigError, absolute_path, check_table, check_value,
                     dump_toml, fail, parse_toml)
from .step import Study
from . import steps

TOP_KEYS = (
    Key("title", STR, "Coupling coordination study", "Title of the study and the report."),
)
RUNNER_SECTIONS: Dict[str, Tuple[Key, ...]] = {
    "report": (
        Key("title", STR, None, "Report title (default from the config's `title`)."),
        Key("map_years", INT_LIST, None, "Years with tier maps (default first and last year)."),
        Key("map_tolerance", FLOAT, 0.01, "Simplification tolerance of map polygons (CRS units; 0: exact).",
            minimum=0.0),
        Key("group_field", STR, None, "Groups of the trend lines (default the Table 2 groups)."),
    ),
    "output": (
        Key("dir", STR, None, "Output folder, relative to the config file (default "
            "`<config name>-results`); `ccd run --output-dir` overrides it."),
        Key("layer_tolerance", FLOAT, 0.0, "Simplification tolerance of the geometry of the "
            "long unit-year layer (CRS units; 0 keeps the exact polygons, which the `units` layer "
            "always keeps).", minimum=0.0),
    ),
}

__all__ = ["Study", "StudyConfigError", "dump_toml", "load_study", "parse_toml", "section_keys",
           "study_from_dict", "write_study"]


def study_from_dict(raw: Dict[str, Any], base_dir: str = ".") -> Study:
    """Validate a parsed config and resolve every default that does not need the data.

    Each step's section is type-checked against its keys, then resolved
    against the sections before it (in step order). Data-dependent defaults
    (LISA and map years) are filled by the runner once the data are read.
    Raises StudyConfigError naming the key path and what was expected.
    """
    if not isinstance(raw, dict):
        raise fail("(config)", "a table of sections", raw)
    declared = steps.all_steps()
    known = [k.name for k in TOP_KEYS] + [s.name for s in declared] + list(RUNNER_SECTIONS)
    for name in raw:
        if name not in known:
            raise StudyConfigError(f"{name}: unknown key; expected one of {', '.join(known)}")
    config: Dict[str, Any] = {}
    for key in TOP_KEYS:
        config[key.name] = check_value(key, raw[key.name], key.name) if key.name in raw else key.default
    for step in declared:
        if step.name not in raw and not step.required:
            continue
        section = step.check(step.parse(raw.get(step.name)))
        config[step.name] = step.resolve(section, config, base_dir)

    report = check_table(raw.get("report", {}), RUNNER_SECTIONS["report"], "report")
    report.setdefault("title", config["title"])
    config["report"] = report
    output = check_table(raw.get("output", {}), RUNNER_SECTIONS["output"], "output")
    if "dir" in output:
        output["dir"] = absolute_path(output["dir"], base_dir)
    config["output"] = output
    return Study(config, os.path.abspath(base_dir))


def load_study(path: str) -> Study:
    """Read, validate and resolve the study config at ``path`` (relative paths
    in it are relative to its folder). Raises StudyConfigError."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as error:
        raise StudyConfigError(f"{path}: cannot read the study config ({error.strerror})") from error
    study = study_from_dict(parse_toml(text, path), os.path.dirname(os.path.abspath(path)))
    if "dir" not in study.config["output"]:
        stem = os.path.splitext(os.path.basename(path))[0]
        study.config["output"]["dir"] = os.path.join(study.base_dir, f"{stem}-results")
    return study


def write_study(study: Study, path: str, header: str = "") -> None:
    """Write the resolved config to ``path`` as TOML (re-readable by :func:`load_study`)."""
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(dump_toml(study.config, header))


def sections() -> List[Tuple[str, Tuple[Key, ...]]]:
    """(section name, keys) of every section a study config may have, in file order."""
    out = [(step.name, step.keys) for step in steps.all_steps()]
    return out + list(RUNNER_SECTIONS.items())


def section_keys() -> List[Tuple[str, Key]]:
    """(path, key) of every documented key: ``data.panel``, ``systems.NAME.positive``, …"""
    out = [(key.name, key) for key in TOP_KEYS]
    named = {step.name for step in steps.all_steps() if step.named}
    for section, keys in sections():
        prefix = f"{section}.NAME" if section in named else section
        out += [(f"{prefix}.{key.name}", key) for key in keys]
    return out
