using Dockyard.Server.Audit;

namespace Dockyard.Server.Control.Stacks;

/// <summary>
/// "Pull latest and redeploy": <see cref="Pull"/> re-resolves the tags of Dockyard-hosted images and updates the
/// services whose digest changed; <see cref="Force"/> (or <see cref="Pull"/> false) force-updates every selected
/// service. <see cref="Services"/> null = all, else short names. <see cref="Note"/> is recorded on the new revision;
/// <see cref="AuditAction"/> names the entry (the follow job passes <c>stack.follow.redeploy</c>).
/// </summary>
internal sealed record StackRedeployRequest
{
    public bool Pull { get; init; } = true;

    public bool Force { get; init; }

    public IReadOnlyList<string>? Services { get; init; }

    public string? Note { get; init; }

    public string AuditAction { get; init; } = AuditActions.StackRedeploy;
}
