namespace Dockyard.Server.Control.Containers;

/// <summary>
/// The containers the caller may see on every engine that answered, and one warning per engine that could not be
/// asked (<c>engine x: …</c>): an engine that is down is a warning, never an error.
/// </summary>
internal sealed record ContainerList(IReadOnlyList<ContainerListItem> Items, IReadOnlyList<string> Warnings);
