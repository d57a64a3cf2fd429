using Dockyard.Server.Accounts;

namespace Dockyard.Server.Api;

/// <summary>A web UI session as listed: its public id and where it came from, never its secret.</summary>
internal sealed record SessionResponse(long Id, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, string? Address, string? UserAgent, string AuthMethod)
{
    public static SessionResponse From(UiSessionView session) =>
        new(session.Id, session.CreatedAt, session.LastSeenAt, session.Address, session.UserAgent, session.AuthMethod);
}
