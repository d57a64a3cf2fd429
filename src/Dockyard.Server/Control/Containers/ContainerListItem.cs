namespace Dockyard.Server.Control.Containers;

/// <summary>
/// One container of a list, tagged with where it runs (<paramref name="Engine"/>, <paramref name="NodeId"/>) and the
/// collection its labels put it in. <paramref name="Name"/> has no leading slash.
/// </summary>
internal sealed record ContainerListItem(
    string Id,
    string Name,
    string Image,
    string ImageId,
    string Command,
    DateTimeOffset Created,
    string State,
    string Status,
    string Engine,
    string? NodeId,
    string Collection,
    IReadOnlyDictionary<string, string> Labels);
