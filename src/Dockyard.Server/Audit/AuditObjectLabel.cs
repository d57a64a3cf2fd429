namespace Dockyard.Server.Audit;

/// <summary>How the audit log names an image reference: as clients write it.</summary>
internal static class AuditObjectLabel
{
    /// <summary>
    /// The separator between a repository and <paramref name="reference"/>: <c>@</c> before a digest
    /// (<c>repo@sha256:…</c>), <c>:</c> before a tag (<c>repo:tag</c>). A tag never contains <c>:</c>, a digest always does.
    /// </summary>
    public static string Separator(string reference) => reference.Contains(':', StringComparison.Ordinal) ? "@" : ":";
}
