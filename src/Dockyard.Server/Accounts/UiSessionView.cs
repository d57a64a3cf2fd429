using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Accounts;

/// <summary>A web UI session as its owner sees it listed: its public id and where it came from, never its secret.</summary>
internal sealed record UiSessionView(long Id, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, string? Address, string? UserAgent, string AuthMethod)
{
    public static UiSessionView From(UiSessionEntity session) =>
        new(session.Id, session.CreatedAt, session.LastSeenAt, session.Address, session.UserAgent, session.AuthMethod);
}
