namespace Dockyard.Server.Control.Nodes;

/// <summary>A change to a node; null members stay as they are. <see cref="Labels"/>, when given, is the complete new label set.</summary>
/// <param name="Labels">The node's new spec labels (the collection label among them).</param>
/// <param name="Availability">active, pause or drain.</param>
/// <param name="Role">manager (promote) or worker (demote).</param>
internal sealed record NodeChange(IReadOnlyDictionary<string, string>? Labels = null, string? Availability = null, string? Role = null);
