namespace Dockyard.Server.Control.Images;

/// <summary>
/// Which manifest digests of Dockyard's registry run where, as the engines answered at <see cref="TakenAt"/>.
/// <see cref="Unknown"/> names what could not be asked (an unreachable engine, no reachable manager for services):
/// then the picture is incomplete and nothing may be deleted on the strength of it.
/// </summary>
internal sealed record RuntimeUsageSnapshot(IReadOnlyDictionary<string, IReadOnlyList<RuntimeUser>> ByDigest, IReadOnlyList<string> Unknown, DateTimeOffset TakenAt)
{
    public static RuntimeUsageSnapshot Empty(DateTimeOffset at) => new(new Dictionary<string, IReadOnlyList<RuntimeUser>>(), [], at);

    /// <summary>True when every engine (and, in a swarm, a manager for services) answered.</summary>
    public bool IsComplete => Unknown.Count == 0;

    /// <summary>What runs <paramref name="digest"/> (<c>sha256:…</c>); empty when nothing (that answered) does.</summary>
    public IReadOnlyList<RuntimeUser> UsersOf(string digest) => ByDigest.TryGetValue(digest, out var users) ? users : [];

    public bool InUse(string digest) => ByDigest.ContainsKey(digest);

    /// <summary>"in use by container web-1 on node … (engine worker), service api"; null when unused.</summary>
    public string? Explain(string digest) =>
        UsersOf(digest) is { Count: > 0 } users ? "in use by " + string.Join(", ", users.Take(5).Select(u => u.Describe())) + (users.Count > 5 ? $" and {users.Count - 5} more" : string.Empty) : null;

    /// <summary>"engine worker: not reachable; …" for messages.</summary>
    public string DescribeUnknown() => string.Join("; ", Unknown);
}
