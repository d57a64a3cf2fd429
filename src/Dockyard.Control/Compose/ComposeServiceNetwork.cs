namespace Dockyard.Control.Compose;

/// <summary>A service's attachment to a network named by its key under the top-level <c>networks:</c>.</summary>
public sealed record ComposeServiceNetwork(string Key, IReadOnlyList<string> Aliases);
