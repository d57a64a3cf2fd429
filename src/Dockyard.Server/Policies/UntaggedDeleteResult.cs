namespace Dockyard.Server.Policies;

/// <summary>What a bulk delete of untagged manifests did, one entry per requested digest.</summary>
internal sealed record UntaggedDeleteResult(IReadOnlyList<UntaggedDeletion> Items)
{
    public int Deleted => Items.Count(i => i.Outcome == UntaggedOutcome.Deleted);

    public int Skipped => Items.Count(i => i.Outcome == UntaggedOutcome.Skipped);

    public int Failed => Items.Count(i => i.Outcome == UntaggedOutcome.Failed);
}
