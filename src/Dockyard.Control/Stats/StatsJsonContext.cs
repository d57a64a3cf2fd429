using System.Text.Json.Serialization;

namespace Dockyard.Control.Stats;

/// <summary>Source-generated JSON for the stats documents (names mapped explicitly: the stats API is snake_case).</summary>
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(StatsDocument))]
internal sealed partial class StatsJsonContext : JsonSerializerContext;
