namespace Dockyard.Server.Control.Stacks;

/// <summary>A deploy's answer: the stack as it now is, the revision recorded and the warnings.</summary>
internal sealed record StackDeployResult(StackDetailView Stack, int Revision, IReadOnlyList<StackWarning> Warnings);
