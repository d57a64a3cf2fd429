namespace Dockyard.Server.Control.Stacks;

/// <summary>A service's image change: <paramref name="Service"/> short name, the image as written, and the pinned reference before and after.</summary>
internal sealed record StackImageChange(string Service, string Image, string? From, string? To);
