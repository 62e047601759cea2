"""One adapter that turns a toolbox tool into a QgsProcessingAlgorithm.

Parameters, outputs, titles and help all come from the tool's declaration;
nothing about a tool is written a second time here.

QGIS registers an algorithm by asking its name, title, group and parameters
(``QgsProcessingProvider::addAlgorithm`` calls ``initAlgorithm``) when the
provider loads, at every start of QGIS and of ``qgis_process``. So an
algorithm is made from the tool's :class:`toolbox.declarations.Declaration`
(no tool module imported) and the tool itself is imported when the algorithm
is about to run (:meth:`ToolAlgorithm.prepareAlgorithm`); the modules that
only running needs (pandas and pyogrio behind ``layers`` and ``file_layers``,
the readers behind ``toolbox.failures``) are imported inside the methods that run.
"""

from qgis.core import (QgsCoordinateReferenceSystem, QgsProcessingAlgorithm, QgsProcessingContext,
                       QgsProcessingException, QgsProcessingOutputFile,
                       QgsProcessingOutputVectorLayer, QgsProcessingParameterBoolean,
                       QgsProcessingParameterEnum, QgsProcessingParameterFeatureSink,
                       QgsProcessingParameterFeatureSource, QgsProcessingParameterField,
                       QgsProcessingParameterFile, QgsProcessingParameterFileDestination,
                       QgsProcessingParameterFolderDestination, QgsProcessingParameterNumber,
                       QgsProcessingParameterString)

import traceback

from spatial.errors import InputError
from toolbox import parameters as declared
from toolbox import tool as tool_module
from toolbox.atomic import write_bytes

from . import compat, styling
from .translation import tr


class QgisFeedback(tool_module.Feedback):
    """Tool feedback forwarded to QgsProcessingFeedback; tool progress fills 5–95 %."""

    def __init__(self, feedback):
        self._feedback = feedback

    def progress(self, fraction):
        self._feedback.setProgress(5 + 90 * max(0.0, min(1.0, fraction)))

    def info(self, message):
        self._feedback.pushInfo(message)

    def warning(self, message):
        self._feedback.reportError(message, fatalError=False)

    def canceled(self):
        return self._feedback.isCanceled()


def qgis_parameter(parameter):
    """The QgsProcessingParameterDefinition for a toolbox declaration."""
    description = tr(parameter.description)
    if isinstance(parameter, declared.TableInput):
        types = [compat.SOURCE_VECTOR_POLYGON if parameter.geometry == "polygon"
                 else compat.SOURCE_VECTOR_ANY]
        definition = QgsProcessingParameterFeatureSource(parameter.name, description, types,
                                                         optional=parameter.optional)
    elif isinstance(parameter, declared.FileInput):
        extensions = " ".join(f"*.{e}" for e in parameter.extensions)
        definition = QgsProcessingParameterFile(
            parameter.name, description, optional=parameter.optional,
            fileFilter=f"{description} ({extensions})")
    elif isinstance(parameter, declared.FileOutput):
        definition = QgsProcessingParameterFileDestination(
            parameter.name, description, fileFilter=f"{description} (*.{parameter.extension})",
            optional=parameter.optional)
    elif isinstance(parameter, declared.FieldInput):
        definition = QgsProcessingParameterField(
            parameter.name, description, parentLayerParameterName=parameter.parent,
            type=compat.FIELD_NUMERIC if parameter.numeric else compat.FIELD_ANY,
            allowMultiple=parameter.multiple, optional=parameter.optional)
    elif isinstance(parameter, declared.EnumInput):
        definition = QgsProcessingParameterEnum(
            parameter.name, description, options=[tr(label) for _, label in parameter.options],
            defaultValue=parameter.values.index(parameter.default))
    elif isinstance(parameter, declared.BooleanInput):
        definition = QgsProcessingParameterBoolean(parameter.name, description,
                                                   defaultValue=parameter.default)
    elif isinstance(parameter, declared.NumberInput):
        definition = QgsProcessingParameterNumber(
            parameter.name, description,
            type=compat.NUMBER_INTEGER if parameter.integer else compat.NUMBER_DOUBLE,
            defaultValue=parameter.default, optional=parameter.optional)
        if parameter.minimum is not None:
            definition.setMinimum(parameter.minimum)
        if parameter.maximum is not None:
            definition.setMaximum(parameter.maximum)
    elif isinstance(parameter, (declared.NumberListInput, declared.TextInput)):
        definition = QgsProcessingParameterString(
            parameter.name, description, defaultValue=parameter.default, optional=parameter.optional)
    elif isinstance(parameter, declared.FolderOutput):
        definition = QgsProcessingParameterFolderDestination(parameter.name, description,
                                                             optional=parameter.optional)
    elif isinstance(parameter, declared.TableOutput):
        kind = compat.SOURCE_VECTOR_ANY_GEOMETRY if parameter.geometry_from else compat.SOURCE_VECTOR_ANY
        definition = QgsProcessingParameterFeatureSink(parameter.name, description, kind,
                                                       optional=parameter.optional)
    else:
        raise TypeError(f"no QGIS parameter for {type(parameter).__name__}")
    if parameter.help:
        definition.setHelp(tr(parameter.help))
    if parameter.advanced:
        definition.setFlags(definition.flags() | compat.FLAG_ADVANCED)
    return definition


class ToolAlgorithm(QgsProcessingAlgorithm):
    """A QGIS Processing algorithm that runs one toolbox tool.

    ``tool`` is the tool's declaration (:class:`toolbox.declarations.Declaration`,
    or the :class:`toolbox.tool.Tool` itself, which declares the same attributes).
    """

    def __init__(self, tool):
        super().__init__()
        self._tool = tool
        self._runner = None

    def createInstance(self):  # noqa: N802 (QGIS's names below)
        return ToolAlgorithm(self._tool)

    def prepareAlgorithm(self, parameters, context, feedback):  # noqa: N802
        """Import the tool's module (in QGIS's main thread, before a background run)."""
        self._running_tool()
        return True

    def _running_tool(self):
        """The :class:`toolbox.tool.Tool` itself, its module imported on first use.

        Raises QgsProcessingException when its parameters or outputs are not
        those it was registered with (a ``declarations.json`` left out of date)."""
        if self._runner is None:
            if isinstance(self._tool, tool_module.Tool):
                runner = self._tool
            else:
                from toolbox import tools

                runner = tools.tool(self._tool.id)
            if (runner.parameters, runner.outputs) != (self._tool.parameters, self._tool.outputs):
                raise QgsProcessingException(tr(
                    "The parameters of {} differ from those the plugin registered: "
                    "toolbox/declarations.json is out of date (python scripts/tool_declarations.py "
                    "update)").format(self._tool.id))
            self._runner = runner
        return self._runner

    def name(self):
        return self._tool.id

    def displayName(self):  # noqa: N802
        return tr(self._tool.title)

    def group(self):
        return tr(self._tool.group)

    def groupId(self):  # noqa: N802
        return self._tool.group_id

    def shortHelpString(self):  # noqa: N802
        return tr(self._tool.help)

    def initAlgorithm(self, config=None):  # noqa: N802
        for parameter in self._tool.parameters:
            self.addParameter(qgis_parameter(parameter))
        destinations = [o for o in self._tool.outputs if not isinstance(o, declared.PathOutput)]
        for output in self._tool.outputs:
            if isinstance(output, declared.PathOutput):
                kind = QgsProcessingOutputVectorLayer if output.kind == "layer" else QgsProcessingOutputFile
                self.addOutput(kind(output.name, tr(output.description)))
        for position, output in enumerate(destinations):
            definition = qgis_parameter(output)
            if position > 0:  # the first output is the result; the others may be skipped
                definition.setFlags(definition.flags() | compat.FLAG_OPTIONAL)
            self.addParameter(definition)

    def _values(self, parameters, context, feedback):
        from . import layers

        values, sources = {}, {}
        for parameter in self._tool.parameters:
            name = parameter.name
            if isinstance(parameter, declared.TableInput):
                source = self.parameterAsSource(parameters, name, context)
                if source is None:
                    if parameter.optional:
                        values[name] = None
                        continue
                    raise QgsProcessingException(tr("Invalid input layer: {}").format(name))
                table, geometries = self._source_table(parameters, name, context, source, feedback)
                sources[name] = (source, geometries)
                if parameter.geometry != "none" and geometries is not None:
                    table = layers.geodataframe(table, geometries, source.sourceCrs())
                elif parameter.geometry == "polygon":
                    raise QgsProcessingException(tr("{} must be a polygon layer").format(name))
                values[name] = table
            elif isinstance(parameter, declared.FileInput):
                values[name] = self.parameterAsFile(parameters, name, context) or None
            elif isinstance(parameter, declared.FieldInput):
                fields = compat.parameter_as_fields(self, parameters, name, context)
                values[name] = list(fields) if parameter.multiple else (fields[0] if fields else None)
            elif isinstance(parameter, declared.EnumInput):
                values[name] = parameter.values[self.parameterAsEnum(parameters, name, context)]
            elif isinstance(parameter, declared.BooleanInput):
                values[name] = self.parameterAsBool(parameters, name, context)
            elif isinstance(parameter, declared.NumberInput):
                if parameter.optional and parameters.get(name) in (None, ""):
                    values[name] = None
                elif parameter.integer:
                    values[name] = self.parameterAsInt(parameters, name, context)
                else:
                    values[name] = self.parameterAsDouble(parameters, name, context)
            elif isinstance(parameter, declared.NumberListInput):
                values[name] = _number_list(self.parameterAsString(parameters, name, context), name)
            else:
                values[name] = self.parameterAsString(parameters, name, context) or parameter.default
        return values, sources

    def _source_table(self, parameters, name, context, source, feedback):
        """(attributes, shapely geometries or None) of a source: read from its
        file where that gives what QGIS would hand over, else feature by feature."""
        from . import file_layers, layers

        read = file_layers.read_source(parameters.get(name),
                                       self.parameterAsVectorLayer(parameters, name, context),
                                       source, context.invalidGeometryCheck())
        if read is None:
            read = layers.source_table(source, feedback)
            if feedback.isCanceled():  # QGIS stopped handing features over: not a smaller layer
                raise tool_module.Canceled()
        return read

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        """Run the tool; every failure reaches the user as a QgsProcessingException with
        the command line's message (:func:`toolbox.failures.explain`), the traceback
        of an unexpected one in the log."""
        try:
            return self._process(parameters, context, feedback)
        except QgsProcessingException:
            raise
        except (tool_module.Canceled, KeyboardInterrupt):
            return {}
        except InputError as error:
            raise QgsProcessingException(str(error))
        except Exception as error:  # noqa: BLE001 (every failure becomes a message)
            from toolbox import failures

            code, message = failures.explain(
                error, debug_hint="the Python traceback is in the log (Processing › Log)")
            if code == failures.EXIT_UNEXPECTED:
                feedback.pushDebugInfo(traceback.format_exc())
            raise QgsProcessingException(message)

    def _process(self, parameters, context, feedback):
        from . import layers

        values, sources = self._values(parameters, context, feedback)
        for output in self._tool.outputs:
            if isinstance(output, declared.FolderOutput):
                values[output.name] = self.parameterAsFileOutput(parameters, output.name, context)
            elif isinstance(output, declared.FileOutput):  # None when not asked for, as in the CLI
                values[output.name] = self.parameterAsFileOutput(parameters, output.name,
                                                                 context) or None
        try:
            results = self._running_tool().run(values, QgisFeedback(feedback))
        except InputError as error:
            raise QgsProcessingException(str(error))
        except tool_module.Canceled:
            return {}
        outputs = {}
        for output in self._tool.outputs:
            result = results.get(output.name)
            if isinstance(output, (declared.FolderOutput, declared.PathOutput)):
                if result:
                    outputs[output.name] = result
                if isinstance(output, declared.PathOutput) and output.kind == "layer" and result:
                    self._load_on_completion(result, output, values, context)
                continue
            if isinstance(output, declared.FileOutput):
                path = self.parameterAsFileOutput(parameters, output.name, context)
                if path and result is not None:
                    _write_file(path, result)
                    outputs[output.name] = path
                continue
            if result is None:  # an output this run does not make (e.g. no Markov chain asked)
                continue
            table = result
            source, geometries = next(
                (sources[name] for name in output.geometry_from
                 if name in sources and sources[name][1] is not None), (None, None))
            keeps_geometry = geometries is not None
            if output.geometry and result is not None:
                table, geometries, wkb_type, crs = layers.made_geometry(result, output.geometry)
                keeps_geometry = True
            else:
                wkb_type = source.wkbType() if keeps_geometry else compat.NO_GEOMETRY
                crs = source.sourceCrs() if keeps_geometry else QgsCoordinateReferenceSystem()
            destination = self._written(parameters, output.name, context, table,
                                        geometries if keeps_geometry else None, wkb_type, crs,
                                        feedback)
            if destination is None:
                continue
            outputs[output.name] = destination
            year_field = values.get("YEAR_FIELD") if keeps_geometry else None
            if year_field not in table.columns:
                year_field = None
            if (output.style or year_field) and context.willLoadLayerOnCompletion(destination):
                details = context.layerToLoadOnCompletionDetails(destination)
                details.setPostProcessor(styling.post_processor(output.style, year_field))
        return outputs


    def _written(self, parameters, name, context, table, geometries, wkb_type, crs, feedback):
        """Write the table output ``name`` and return its destination (None when
        skipped): a new GeoPackage directly (``file_layers``), anything else
        through QGIS's feature sink. Both register the layer QGIS loads on
        completion; a cancel before writing leaves no output."""
        from . import file_layers, layers

        path = file_layers.geopackage_destination(parameters.get(name), context)
        if path is not None and file_layers.writable_table(table):
            destination = self.parameterAsOutputLayer(parameters, name, context)
            if feedback.isCanceled():
                raise tool_module.Canceled()
            if file_layers.write_geopackage(table, geometries, wkb_type, crs, destination):
                return destination
        fields = layers.table_fields(table)
        sink, destination = self.parameterAsSink(parameters, name, context, fields, wkb_type, crs)
        if sink is None:
            return None
        layers.write_table(sink, table, fields, geometries, feedback)
        return destination

    def _load_on_completion(self, path, output, values, context):
        """Have QGIS load a layer the tool wrote, styled and temporal."""
        details = QgsProcessingContext.LayerDetails(tr(output.description), context.project(),
                                                    output.name)
        details.setPostProcessor(styling.post_processor(output.style, values.get("YEAR_FIELD")))
        context.addLayerToLoadOnCompletion(path, details)


def _write_file(path, content):
    """Write a file output atomically: a canceled or failed run leaves no partial file."""
    write_bytes(content, path)


def _number_list(text, name):
    if not text or not text.strip():
        return None
    try:
        return [float(part) for part in text.replace(";", ",").split(",") if part.strip()]
    except ValueError:
        raise QgsProcessingException(
            tr("{}: expected numbers separated by commas, got '{}'").format(name, text))
