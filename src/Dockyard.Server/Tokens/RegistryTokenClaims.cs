using Dockyard.Server.Access;

namespace Dockyard.Server.Tokens;

/// <summary>
/// The claims of a registry bearer token: the standard JWT ones, the Docker <c>access</c> claim (what the bearer
/// may do), and the principal it was issued to (so the registry can filter the catalog without a login).
/// </summary>
internal sealed record RegistryTokenClaims
{
    public required string Issuer { get; init; }

    public required string Audience { get; init; }

    public required string Id { get; init; }

    public required DateTimeOffset IssuedAt { get; init; }

    public required DateTimeOffset NotBefore { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public required IReadOnlyList<ResourceScope> Access { get; init; }

    /// <summary>Who the token was issued to; its <see cref="Principal.Name"/> is the <c>sub</c> claim.</summary>
    public required Principal Principal { get; init; }

    /// <summary>True when the access claim grants every one of <paramref name="actions"/> on the resource (grants for notary never count here).</summary>
    public bool Grants(string type, string name, IEnumerable<string> actions)
    {
        var granted = Access.Where(a => a.Type == type && a.Name == name && !a.ForNotary).SelectMany(a => a.Actions).ToHashSet(StringComparer.Ordinal);
        return granted.Contains(ResourceScope.Wildcard) || actions.All(granted.Contains);
    }
}
