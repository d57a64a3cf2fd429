namespace Dockyard.Server.Data.Entities;

/// <summary>
/// One deploy of a stack (<c>stack_revisions</c>): the Compose text and environment it was deployed from, the images
/// as written and as pinned, and who did it. Secret values are sealed by the server's secret protector.
/// </summary>
internal sealed class StackRevisionEntity
{
    public long Id { get; set; }

    public long StackId { get; set; }

    /// <summary>1, 2, … per stack (unique with <see cref="StackId"/>).</summary>
    public int Number { get; set; }

    /// <summary>JSON <c>[{"name","text"}]</c>: the Compose files in merge order.</summary>
    public required string Files { get; set; }

    /// <summary>JSON object of the non-secret environment variables.</summary>
    public required string Environment { get; set; }

    /// <summary>JSON object of the secret variables, sealed (<c>dy1:…</c>); null when there are none.</summary>
    public string? SecretEnvironment { get; set; }

    /// <summary>JSON object path → base64 of the file attachments (secret/config/env files), sealed; null when none.</summary>
    public string? Attachments { get; set; }

    /// <summary>JSON object image as written → pinned reference (<c>repo:tag@sha256:…</c>).</summary>
    public required string Images { get; set; }

    /// <summary>JSON array of the service short names that follow their tag.</summary>
    public required string Follow { get; set; }

    public string? Version { get; set; }

    public string? Description { get; set; }

    public string? SourceUrl { get; set; }

    public string? SourceRevision { get; set; }

    /// <summary>Why this revision exists when not a plain deploy ("rollback to 3", "redeploy on push: …").</summary>
    public string? Note { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
