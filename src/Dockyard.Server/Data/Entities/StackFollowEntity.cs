namespace Dockyard.Server.Data.Entities;

/// <summary>
/// A service of a stack that follows a tag Dockyard hosts (<c>stack_follows</c>): when <see cref="Repository"/>:<see cref="Tag"/>
/// moves, the service is redeployed. Rewritten from the revision's follow list on every deploy.
/// </summary>
internal sealed class StackFollowEntity
{
    public long Id { get; set; }

    public long StackId { get; set; }

    /// <summary>The service's short name (as in the Compose file).</summary>
    public required string Service { get; set; }

    /// <summary>The Dockyard repository name, e.g. <c>team/web</c>.</summary>
    public required string Repository { get; set; }

    public required string Tag { get; set; }
}
