namespace Dockyard.Server.Identity;

/// <summary>A UI session that is valid now (its public <c>ui_sessions.id</c>), with its user as stored now.</summary>
internal sealed record ActiveUiSession(long Id, long UserId, string Username, bool IsAdmin, string AuthMethod);
