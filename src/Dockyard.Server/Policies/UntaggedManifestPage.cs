namespace Dockyard.Server.Policies;

/// <summary>One page of a repository's untagged manifests, newest first.</summary>
internal sealed record UntaggedManifestPage(IReadOnlyList<ManifestRelation> Items, int Page, int PageSize, int Total)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}
