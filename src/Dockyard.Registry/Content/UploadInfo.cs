using System.Text.Json;

namespace Dockyard.Registry.Content;

/// <summary>The persisted half of an upload session (the other half is the data file's size).</summary>
/// <remarks>
/// <see cref="LastActivityAt"/> is stamped from the registry's <see cref="TimeProvider"/> by chunks (at most once per
/// 1 % of the upload expiry, so a session may expire that much early), so expiry compares times from one clock (not
/// the storage's file mtimes against the app's clock). Info files
/// written before it existed read it as <see cref="StartedAt"/>. <see cref="Completing"/> is set by a completion once the
/// bytes are verified, just before they move to the blob path: a retried completion (another replica, after this one
/// died) that finds it and no data finishes the link instead of answering that the session is unknown.
/// </remarks>
internal sealed record UploadInfo(string Repository, DateTimeOffset StartedAt, DateTimeOffset LastActivityAt, string? Completing = null)
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
            if (Completing is not null)
            {
                writer.WriteString("completing", Completing);
            }
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
            var completing = root.TryGetProperty("completing", out var digest) ? digest.GetString() : null;
            return new UploadInfo(root.GetProperty("repository").GetString()!, startedAt, lastActivityAt, completing);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
