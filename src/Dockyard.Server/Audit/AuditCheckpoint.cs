using System.Text.Json;

namespace Dockyard.Server.Audit;

/// <summary>
/// The details of an <c>audit.checkpoint</c> entry: entries up to <see cref="PrunedThroughId"/> were pruned, and
/// <see cref="PrunedThroughHash"/> was that entry's hash, the link the first remaining entry chains from.
/// </summary>
internal sealed record AuditCheckpoint(long PrunedThroughId, string PrunedThroughHash, long PrunedCount, DateTimeOffset PrunedBefore)
{
    public string ToJson() => JsonSerializer.Serialize(this, AuditEntryResponse.JsonOptions);

    public static AuditCheckpoint? TryParse(string? details)
    {
        if (string.IsNullOrEmpty(details))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<AuditCheckpoint>(details, AuditEntryResponse.JsonOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
