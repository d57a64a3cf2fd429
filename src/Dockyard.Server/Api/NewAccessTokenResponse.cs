using Dockyard.Server.Accounts;

namespace Dockyard.Server.Api;

/// <summary>
/// A token just created: the only response that ever carries its secret, with <see cref="Warnings"/> about scopes that
/// will not work as their owner most likely expects (<see cref="TokenScopeWarnings"/>; empty when there are none).
/// </summary>
internal sealed record NewAccessTokenResponse(string Secret, AccessTokenResponse Token)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The response for a token just created, its warnings included.</summary>
    public static NewAccessTokenResponse From(string secret, AccessTokenView token) =>
        new(secret, AccessTokenResponse.From(token)) { Warnings = TokenScopeWarnings.Of(token.Scopes) };
}
