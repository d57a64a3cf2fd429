namespace Dockyard.Server.Trust.Notary;

/// <summary>
/// The verified TUF data of one trust collection: every targets role read (<c>targets</c> and its delegations) with
/// what it lists. <see cref="RootProblem"/> is set when root.json does not verify under its own root keys.
/// </summary>
internal sealed record NotaryTrustData(IReadOnlyList<NotaryTrustData.RoleTargets> Roles, string? RootProblem)
{
    public static readonly NotaryTrustData Empty = new([], null);

    /// <summary>One targets role, verified against the keys its parent delegates to it, and its targets by sha256 hex.</summary>
    internal sealed record RoleTargets(TufRole Role, IReadOnlyDictionary<string, List<string>> ByDigest, string? ParentProblem);
}
