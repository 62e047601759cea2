"""Analysis core of the Coupling Coordination Toolbox.

Pure functions on pandas / numpy data (with scikit-learn and PySAL where they
fit): no QGIS, no file formats, no printing. Import the module you need
(``from spatial import coupling``); nothing is loaded before that, so a
command line that needs one method stays cheap.
"""
