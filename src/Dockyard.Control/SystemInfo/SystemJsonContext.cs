using System.Text.Json.Serialization;

namespace Dockyard.Control.SystemInfo;

/// <summary>
/// Source-generated JSON for <c>/info</c> and <c>/version</c>. dockerd's names (<c>NCPU</c>, <c>OSType</c>,
/// <c>MinAPIVersion</c>, <c>NodeID</c>) match the properties case-insensitively.
/// </summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(EngineInfo))]
[JsonSerializable(typeof(EngineVersion))]
internal sealed partial class SystemJsonContext : JsonSerializerContext;
