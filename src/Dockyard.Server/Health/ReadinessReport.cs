using System.Text.Json;

namespace Dockyard.Server.Health;

/// <summary>Every readiness check of one probe; ready when all passed.</summary>
internal sealed record ReadinessReport(IReadOnlyList<ReadinessCheck> Checks)
{
    public bool Ready => Checks.All(c => c.Ok);

    /// <summary><c>{"status":"ready"|"unready","checks":[{"name","ok","reason"}]}</c>, written by hand: no serializer metadata needed.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("status", Ready ? "ready" : "unready");
            json.WriteStartArray("checks");
            foreach (var check in Checks)
            {
                json.WriteStartObject();
                json.WriteString("name", check.Name);
                json.WriteBoolean("ok", check.Ok);
                json.WriteString("reason", check.Reason);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
