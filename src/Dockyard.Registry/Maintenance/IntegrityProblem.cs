namespace Dockyard.Registry.Maintenance;

/// <summary>One inconsistency, named by the thing that is wrong (<c>repo:tag</c>, <c>repo@digest</c>, a digest or a storage path).</summary>
public sealed record IntegrityProblem(string Subject, string Description)
{
    public override string ToString() => $"{Subject}: {Description}";
}
