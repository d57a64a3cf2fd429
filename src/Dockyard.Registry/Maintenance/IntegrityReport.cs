namespace Dockyard.Registry.Maintenance;

/// <summary>The verdict of a check: counts of what was checked and the problems found.</summary>
public sealed record IntegrityReport(long Tags, long Manifests, long Blobs, long BytesVerified, IReadOnlyList<IntegrityProblem> Problems)
{
    public bool IsClean => Problems.Count == 0;
}
