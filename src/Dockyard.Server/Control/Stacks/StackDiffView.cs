namespace Dockyard.Server.Control.Stacks;

/// <summary>What changed from revision <see cref="From"/> to <see cref="To"/>: a unified diff per Compose file, and environment and image changes.</summary>
internal sealed record StackDiffView(
    int From,
    int To,
    IReadOnlyList<StackFileDiffView> Files,
    IReadOnlyList<StackValueChangeView> Environment,
    IReadOnlyList<StackValueChangeView> Images);
