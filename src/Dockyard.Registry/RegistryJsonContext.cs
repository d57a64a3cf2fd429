using System.Text.Json.Serialization;

namespace Dockyard.Registry;

/// <summary>Source-generated JSON metadata for the few types the registry serializes (no reflection at run time).</summary>
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class RegistryJsonContext : JsonSerializerContext;
