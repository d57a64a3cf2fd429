namespace Dockyard.Control.Images;

/// <summary>One line of <c>DELETE /images/{name}</c>: a reference untagged or an image/layer deleted.</summary>
public sealed record ImageDeleteResult(string? Untagged, string? Deleted);
