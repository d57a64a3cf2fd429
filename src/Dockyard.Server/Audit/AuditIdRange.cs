using System.Text.Json;

namespace Dockyard.Server.Audit;

/// <summary>
/// Where the audit ids continue after a restore. The installation that was lost may have issued ids beyond the
/// backup's last one, and a SIEM may already hold them; the <c>system.restore</c> entry therefore takes the first id
/// of the next range of 2^32 ids above the backup's last id (<see cref="NextRangeStart"/>), or, when the operator
/// knows the highest id the SIEM holds, the id after that (<c>dockyard restore --audit-ids-after N</c>). The entry
/// records the last id before it (<see cref="AfterIdField"/>); <see cref="AuditVerifier"/> accepts the gap just
/// before such an entry only, and the hash chain runs through it unbroken.
/// </summary>
internal static class AuditIdRange
{
    /// <summary>The size of one id range: no installation issues 4 billion audit entries between two backups.</summary>
    public const long RangeSize = 1L << 32;

    /// <summary>The details field of a <c>system.restore</c> entry naming the id of the entry before it.</summary>
    public const string AfterIdField = "afterId";

    /// <summary>The first id of the next range above <paramref name="lastId"/>: the next multiple of 2^32.</summary>
    public static long NextRangeStart(long lastId) => checked((lastId / RangeSize + 1) * RangeSize);

    /// <summary>
    /// The id of the restore entry: after <paramref name="knownHighestId"/> (the SIEM's highest id) when given, never
    /// at or below the backup's <paramref name="lastId"/>; else <see cref="NextRangeStart"/>.
    /// </summary>
    public static long RestoreEntryId(long lastId, long? knownHighestId) =>
        knownHighestId is { } known ? Math.Max(known, lastId) + 1 : NextRangeStart(lastId);

    /// <summary>Whether <paramref name="action"/>/<paramref name="details"/> is a restore entry that follows the entry <paramref name="previousId"/>.</summary>
    public static bool OpensRangeAfter(string action, string? details, long previousId) =>
        AfterIdOf(action, details) == previousId;

    /// <summary>The id a <c>system.restore</c> entry says precedes it; null for any other entry.</summary>
    public static long? AfterIdOf(string action, string? details)
    {
        if (action != AuditActions.SystemRestore || details is null)
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(details);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty(AfterIdField, out var after)
                && after.ValueKind == JsonValueKind.Number
                && after.TryGetInt64(out var id)
                ? id
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
