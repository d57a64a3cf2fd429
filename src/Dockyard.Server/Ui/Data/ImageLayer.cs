using Dockyard.Registry.Manifests;

namespace Dockyard.Server.Ui.Data;

/// <summary>A layer of an image and the build step that made it (null when the history does not say).</summary>
internal sealed record ImageLayer(string Digest, string MediaType, long Size, ImageHistoryEntry? Step);
