namespace Dockyard.Server.Control.Images;

/// <summary>What removing an image from an engine did: references untagged and images/layers deleted.</summary>
internal sealed record ImageRemoval(string Engine, string? NodeId, IReadOnlyList<string> Untagged, IReadOnlyList<string> Deleted);
