using Dockyard.Server.Access;

namespace Dockyard.Server.Accounts;

/// <summary>
/// Scopes that are valid but will not do what their owner most likely wants. A scope with <c>push</c> but not
/// <c>pull</c> is kept as asked (scopes only ever narrow, and a stored token's meaning never changes), but it cannot
/// push anything: <c>/v2</c> needs pull and push for every upload and manifest push (as CNCF Distribution does), and
/// docker, skopeo and containerd check each blob with a <c>HEAD</c> (a pull) first. The token-creation answers of the
/// API and the UI carry these warnings.
/// </summary>
internal static class TokenScopeWarnings
{
    /// <summary>One sentence per scope that allows push without pull; empty when nothing needs saying.</summary>
    public static IReadOnlyList<string> Of(IReadOnlyList<TokenScope>? scopes) =>
        [.. (scopes ?? []).Where(s => s.Actions.HasFlag(RepositoryActions.Push) && !s.Actions.HasFlag(RepositoryActions.Pull))
            .Select(s => $"The scope '{s.RepositoryPattern}' allows push without pull, so it cannot push: the registry needs pull and push for every "
                + "upload and manifest push, and docker and other clients first check each blob with a HEAD request (a pull). Create a token with pull and push to push images.")];
}
