"""Geoprocessing tools of the Coupling Coordination Toolbox, without QGIS.

Each tool declares its parameters and outputs once (:mod:`toolbox.parameters`,
:mod:`toolbox.tool`) and calls the analysis core. The command line
(:mod:`toolbox.cli`) and the QGIS Processing provider are both generated from
those declarations.
"""
