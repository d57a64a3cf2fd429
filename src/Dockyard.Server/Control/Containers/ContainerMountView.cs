namespace Dockyard.Server.Control.Containers;

/// <summary>One mount: bind, volume or tmpfs, and whether it is writable.</summary>
internal sealed record ContainerMountView(string Type, string? Name, string Source, string Destination, string Mode, bool ReadWrite);
