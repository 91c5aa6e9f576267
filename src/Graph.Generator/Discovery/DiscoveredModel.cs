using Graph.Generator.Common;
using Graph.Generator.Spec;

namespace Graph.Generator.Discovery;

/// <summary>
/// What discovery found for one [Model] class: the location-free spec (null when the class cannot be compiled),
/// the diagnostics found while reading it, and the source positions later diagnostics point at.
/// </summary>
internal sealed record DiscoveredModel(
    string FullName,
    ModelSpec? Spec,
    EquatableArray<DiagnosticInfo> Diagnostics,
    EquatableArray<KeyedLocation> Locations);
