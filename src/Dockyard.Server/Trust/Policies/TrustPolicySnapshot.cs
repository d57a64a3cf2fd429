namespace Dockyard.Server.Trust.Policies;

/// <summary>Every signature policy, by organization name; <see cref="AnyPull"/> lets the pull path skip all work when no policy checks pulls.</summary>
internal sealed record TrustPolicySnapshot(IReadOnlyDictionary<string, IReadOnlyList<TrustPolicy>> ByOrganization, bool AnyPull, bool AnyDeploy)
{
    public static TrustPolicySnapshot Empty { get; } = new(new Dictionary<string, IReadOnlyList<TrustPolicy>>(StringComparer.Ordinal), false, false);

    /// <summary>The policies of <paramref name="repository"/>'s organization (its first path component) that cover it.</summary>
    public IEnumerable<TrustPolicy> For(string repository)
    {
        var slash = repository.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !ByOrganization.TryGetValue(repository[..slash], out var policies))
        {
            return [];
        }

        return policies.Where(p => p.Covers(repository));
    }
}
