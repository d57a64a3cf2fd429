namespace Dockyard.Server.Control.Images;

/// <summary>The images on the engines the caller may see, and a warning for every engine that could not be asked.</summary>
internal sealed record EngineImageList(IReadOnlyList<EngineImageView> Items, IReadOnlyList<string> Warnings);
