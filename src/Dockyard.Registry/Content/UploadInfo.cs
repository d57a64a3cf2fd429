using System.Text.Json;

namespace Dockyard.Registry.Content;

/// <summary>The persisted half of an upload session (the other half is the data file's size).</summary>
/// <remarks>
/// <see cref="LastActivityAt"/> is stamped from the registry's <see cref="TimeProvider"/> by chunks (at most once per
/// 1 % of the upload expiry, so a session may expire that much early), so expiry compares times from one clock (not
/// the storage's file mtimes against the app's clock). Info files
/// written before it existed read it as <see cref="StartedAt"/>.
/// </remarks>
internal sealed record UploadInfo(string Repository, DateTimeOffset StartedAt, DateTimeOffset LastActivityAt)
{
    public byte[] Serialize()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("repository", Repository);
            writer.WriteString("startedAt", StartedAt);
            writer.WriteString("lastActivityAt", LastActivityAt);
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
            var startedAt = root.GetProperty("startedAt").GetDateTimeOffset();
            var lastActivityAt = root.TryGetProperty("lastActivityAt", out var last) ? last.GetDateTimeOffset() : startedAt;
            return new UploadInfo(root.GetProperty("repository").GetString()!, startedAt, lastActivityAt);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
