using System.Text.Json;

namespace Dockyard.Registry.Content;

/// <summary>The persisted half of an upload session (the other half is the data file's size).</summary>
internal sealed record UploadInfo(string Repository, DateTimeOffset StartedAt)
{
    public byte[] Serialize()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("repository", Repository);
            writer.WriteString("startedAt", StartedAt);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static UploadInfo? TryDeserialize(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            return new UploadInfo(root.GetProperty("repository").GetString()!, root.GetProperty("startedAt").GetDateTimeOffset());
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
