using Dockyard.Registry.Manifests;

namespace Dockyard.Server.Ui.Data;

/// <summary>
/// A layer of an image (or a blob of an artifact) and the build step that made it (null when the history does not
/// say); <paramref name="Title"/> is its <c>org.opencontainers.image.title</c> annotation (an artifact's file name).
/// </summary>
internal sealed record ImageLayer(string Digest, string MediaType, long Size, ImageHistoryEntry? Step, string? Title = null);
