namespace Dockyard.Server.Control.Images;

/// <summary>A finished pull: the reference and how it ended on each engine; <see cref="Warnings"/> names engines that were not tried (unreachable).</summary>
internal sealed record ImagePullResult(string Reference, IReadOnlyList<ImagePullOutcome> Nodes, IReadOnlyList<string> Warnings)
{
    public int Failed => Nodes.Count(n => n.Status != ImagePullOutcomes.Pulled);
}
