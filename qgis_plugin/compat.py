"""Enum and type names that moved between QGIS 3.22 (Qt5) and QGIS 4 (Qt6).

Every name is fully scoped, and each is looked up in its newer home first
(``Qgis.ProcessingSourceType``, QMetaType field types from QGIS 3.38 on).
"""

from qgis.core import (Qgis, QgsFeatureRequest, QgsFeatureSink, QgsProcessing,
                       QgsProcessingAlgorithm, QgsProcessingFeatureSourceDefinition,
                       QgsProcessingParameterDefinition,
                       QgsVectorLayerTemporalProperties,
                       QgsProcessingParameterField,
                       QgsProcessingParameterNumber, QgsWkbTypes)
from qgis.PyQt.QtCore import QVariant


def _scoped(new_home, new_name, old_home, old_name):
    if new_home is not None and hasattr(new_home, new_name):
        return getattr(new_home, new_name)
    return getattr(old_home, old_name)


_source = getattr(Qgis, "ProcessingSourceType", None)
SOURCE_VECTOR_ANY = _scoped(_source, "Vector", QgsProcessing.SourceType, "TypeVector")
SOURCE_VECTOR_ANY_GEOMETRY = _scoped(_source, "VectorAnyGeometry", QgsProcessing.SourceType,
                                     "TypeVectorAnyGeometry")
SOURCE_VECTOR_POLYGON = _scoped(_source, "VectorPolygon", QgsProcessing.SourceType,
                                "TypeVectorPolygon")

_number = getattr(Qgis, "ProcessingNumberParameterType", None)
NUMBER_DOUBLE = _scoped(_number, "Double", QgsProcessingParameterNumber.Type, "Double")
NUMBER_INTEGER = _scoped(_number, "Integer", QgsProcessingParameterNumber.Type, "Integer")

_field = getattr(Qgis, "ProcessingFieldParameterDataType", None)
FIELD_ANY = _scoped(_field, "Any", QgsProcessingParameterField.DataType, "Any")
FIELD_NUMERIC = _scoped(_field, "Numeric", QgsProcessingParameterField.DataType, "Numeric")

FAST_INSERT = QgsFeatureSink.Flag.FastInsert
_flag = getattr(Qgis, "ProcessingParameterFlag", None)
FLAG_OPTIONAL = _scoped(_flag, "Optional", QgsProcessingParameterDefinition.Flag, "FlagOptional")
FLAG_ADVANCED = _scoped(_flag, "Advanced", QgsProcessingParameterDefinition.Flag, "FlagAdvanced")
_algorithm_flag = getattr(Qgis, "ProcessingAlgorithmFlag", None)
ALGORITHM_CAN_CANCEL = _scoped(_algorithm_flag, "CanCancel", QgsProcessingAlgorithm.Flag,
                               "FlagCanCancel")
_wkb = getattr(Qgis, "WkbType", None)
NO_GEOMETRY = _scoped(_wkb, "NoGeometry", QgsWkbTypes.Type, "NoGeometry")
_request_flag = getattr(Qgis, "FeatureRequestFlag", None)
NO_GEOMETRY_FLAG = _scoped(_request_flag, "NoGeometry", QgsFeatureRequest.Flag, "NoGeometry")
_invalid = getattr(Qgis, "InvalidGeometryCheck", None)
GEOMETRY_NO_CHECK = _scoped(_invalid, "NoCheck", QgsFeatureRequest.InvalidGeometryCheck,
                            "GeometryNoCheck")
_source_flag = getattr(Qgis, "ProcessingFeatureSourceDefinitionFlag", None)
SOURCE_OWN_GEOMETRY_CHECK = _scoped(_source_flag, "OverrideDefaultGeometryCheck",
                                    QgsProcessingFeatureSourceDefinition.Flag,
                                    "FlagOverrideDefaultGeometryCheck")


def parameter_as_fields(algorithm, parameters, name, context):
    """The field names of a field parameter: ``parameterAsStrings`` where it
    exists (QGIS >= 3.32; ``parameterAsFields`` is deprecated from 3.40 on),
    ``parameterAsFields`` before."""
    if hasattr(algorithm, "parameterAsStrings"):
        return algorithm.parameterAsStrings(parameters, name, context)
    return algorithm.parameterAsFields(parameters, name, context)


def field_type(kind: str):
    """The QgsField type for ``kind`` in 'double', 'int', 'bool', 'string'."""
    if Qgis.versionInt() >= 33800:
        from qgis.PyQt.QtCore import QMetaType

        types = {"double": "Double", "int": "LongLong", "bool": "Bool", "string": "QString"}
        return getattr(QMetaType.Type, types[kind])
    types = {"double": "Double", "int": "LongLong", "bool": "Bool", "string": "String"}
    return getattr(QVariant.Type, types[kind])


def is_plain_field(field) -> bool:
    """True for a number, text or boolean field (not a date, time, list or binary one)."""
    return field.isNumeric() or field.type() in (field_type("string"), field_type("bool"))

_temporal = getattr(Qgis, "VectorTemporalMode", None)
TEMPORAL_FROM_EXPRESSIONS = _scoped(
    _temporal, "FeatureDateTimeStartAndEndFromExpressions",
    QgsVectorLayerTemporalProperties.TemporalMode,
    "ModeFeatureDateTimeStartAndEndFromExpressions")
