namespace Dockyard.Server.Control.Stacks;

/// <summary>What a redeploy changed: the new revision (null when nothing changed) and, per updated service, the image before and after.</summary>
internal sealed record StackRedeployResult(int? Revision, IReadOnlyList<StackImageChange> Updated, IReadOnlyList<StackWarning> Warnings);
