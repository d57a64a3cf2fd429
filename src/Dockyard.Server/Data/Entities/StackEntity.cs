namespace Dockyard.Server.Data.Entities;

/// <summary>
/// A stack Dockyard manages (<c>stacks</c>): the metadata of the Swarm objects labelled
/// <c>com.docker.stack.namespace=<see cref="Name"/></c>. Its content lives in its revisions; <see cref="CurrentRevision"/>
/// is the number of the one last deployed (0 for an adopted stack not redeployed since).
/// </summary>
internal sealed class StackEntity
{
    public long Id { get; set; }

    /// <summary>The stack's namespace on the swarm (unique).</summary>
    public required string Name { get; set; }

    /// <summary>The collection deciding access, also put on every object as <c>dockyard.access.collection</c>.</summary>
    public required string Collection { get; set; }

    public string? Version { get; set; }

    public string? Description { get; set; }

    /// <summary>A link to the application's source (e.g. a git URL).</summary>
    public string? SourceUrl { get; set; }

    /// <summary>The source revision deployed (e.g. a commit id).</summary>
    public string? SourceRevision { get; set; }

    /// <summary>The user name of who created (or adopted) the stack.</summary>
    public required string Owner { get; set; }

    public int CurrentRevision { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
