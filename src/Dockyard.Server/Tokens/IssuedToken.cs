namespace Dockyard.Server.Tokens;

/// <summary>A signed registry token and what it grants.</summary>
internal sealed record IssuedToken(string Token, DateTimeOffset IssuedAt, TimeSpan ExpiresIn, IReadOnlyList<ResourceScope> Access);
