"""The steps of a study, one module each.

Every module of this package that defines ``STEP`` (an instance of a
:class:`toolbox.step.Step` subclass) is a step of ``ccd run``: its section
is accepted in the study config, it runs in the order of ``STEP.order`` and
its report section is rendered from ``toolbox/templates/STEP.template``.
Adding a method to the study is adding a module here (with its tool in
``toolbox/tools/`` and its template); nothing else is edited.
"""

import functools
import importlib
import pkgutil
from typing import Tuple

from ..tools import refuse_repeated


@functools.lru_cache(maxsize=1)
def all_steps() -> Tuple:
    """Every step of this package, in run order."""
    found = []
    for module in pkgutil.iter_modules(__path__):
        # the module names are found at run time: a new step is a new file
        loaded = importlib.import_module(f"{__name__}.{module.name}")
        step = getattr(loaded, "STEP", None)
        if step is not None:
            found.append(step)
    refuse_repeated([step.name for step in found], "two study steps declare section")
    return tuple(sorted(found, key=lambda step: (step.order, step.name)))


def step(name: str):
    """The step whose config section is ``name``."""
    for candidate in all_steps():
        if candidate.name == name:
            return candidate
    raise KeyError(name)
