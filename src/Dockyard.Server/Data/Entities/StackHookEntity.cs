namespace Dockyard.Server.Data.Entities;

/// <summary>
/// A redeploy URL of a stack for outside CI systems (<c>stack_hooks</c>): only the SHA-256 of its token is kept; the
/// prefix lets people tell hooks apart.
/// </summary>
internal sealed class StackHookEntity
{
    public long Id { get; set; }

    public long StackId { get; set; }

    /// <summary>SHA-256 of the token.</summary>
    public required byte[] TokenHash { get; set; }

    /// <summary>The token's first 8 characters, for display.</summary>
    public required string TokenPrefix { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }
}
