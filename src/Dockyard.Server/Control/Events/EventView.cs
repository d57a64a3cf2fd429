using System.Globalization;

namespace Dockyard.Server.Control.Events;

/// <summary>One event as the API and the UI show it. <see cref="Time"/> is RFC 3339 with the engine's nanoseconds.</summary>
internal sealed record EventView(
    long Id,
    string Time,
    long TimeNano,
    string Engine,
    string? NodeId,
    string Type,
    string Action,
    string? Detail,
    EventActorView Actor,
    string Scope,
    string? User,
    bool Reconciled)
{
    public static EventView From(StoredEvent e) => new(
        e.Id, Format(e.TimeNano), e.TimeNano, e.Engine, e.NodeId, e.Type, e.Action, e.Detail,
        new EventActorView(e.ActorId, e.ActorName, e.Attributes), e.Scope, e.UserName, e.Reconciled);

    public static string Format(long timeNano)
    {
        var seconds = Math.DivRem(timeNano, 1_000_000_000L, out var nanos);
        return DateTimeOffset.FromUnixTimeSeconds(seconds).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)
            + "." + nanos.ToString("D9", CultureInfo.InvariantCulture) + "Z";
    }
}
