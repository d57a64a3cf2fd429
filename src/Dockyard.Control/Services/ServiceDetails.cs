using System.Text.Json.Nodes;

namespace Dockyard.Control.Services;

/// <summary>
/// One service as inspected: the version an update must name, the whole spec (kept as JSON so an edit round-trips
/// every field), the previous spec (what <c>rollback=previous</c> returns to) and the rolling update's state.
/// </summary>
public sealed record ServiceDetails
{
    public required string Id { get; init; }

    /// <summary><c>Version.Index</c>: updates must send it (optimistic concurrency).</summary>
    public required long Version { get; init; }

    public required JsonObject Spec { get; init; }

    public JsonObject? PreviousSpec { get; init; }

    /// <summary><c>UpdateStatus.State</c>: updating, paused, completed, rollback_started, rollback_paused, rollback_completed; null when never updated.</summary>
    public string? UpdateState { get; init; }

    public string? UpdateMessage { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    public string Name => Spec["Name"]?.GetValue<string>() ?? string.Empty;
}
