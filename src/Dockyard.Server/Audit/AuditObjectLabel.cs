namespace Dockyard.Server.Audit;

/// <summary>How the audit log names an entry's object: an image reference as clients write it, else the resource.</summary>
internal static class AuditObjectLabel
{
    /// <summary>
    /// <c>repo:tag</c> for a tag, <c>repo@sha256:…</c> for a digest (a tag never contains <c>:</c>, a digest always does),
    /// the repository alone without a reference, and the resource path for entries about no repository.
    /// </summary>
    public static string? Of(string? repository, string? reference, string? resource) =>
        repository is null ? resource
        : reference is null ? repository
        : repository + (reference.Contains(':', StringComparison.Ordinal) ? "@" : ":") + reference;
}
