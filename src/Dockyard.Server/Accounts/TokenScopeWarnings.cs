using Dockyard.Server.Access;

namespace Dockyard.Server.Accounts;

/// <summary>
/// Scopes that are valid but will not do what their owner most likely wants. A scope with <c>push</c> but not
/// <c>pull</c> is kept as asked (scopes only ever narrow, and a stored token's meaning never changes), but docker,
/// skopeo, crane and containerd ask whether each blob exists (a <c>HEAD</c>, which needs pull) before uploading it, so
/// such a token cannot push an image. The token-creation answers of the API and the UI carry these warnings.
/// </summary>
internal static class TokenScopeWarnings
{
    /// <summary>One sentence per scope that allows push without pull; empty when nothing needs saying.</summary>
    public static IReadOnlyList<string> Of(IReadOnlyList<TokenScope>? scopes) =>
        [.. (scopes ?? []).Where(s => s.Actions.HasFlag(RepositoryActions.Push) && !s.Actions.HasFlag(RepositoryActions.Pull))
            .Select(s => $"The scope '{s.RepositoryPattern}' allows push without pull: docker and other clients check each blob with a HEAD request "
                + "(which needs pull) before uploading it, so this token cannot push an image. Create a token with pull and push to push images.")];
}
