namespace Dockyard.Server.Control.Containers;

/// <summary>One network the container is attached to, with its addresses there (empty for none and host).</summary>
internal sealed record ContainerNetworkView(string Name, string? IpAddress, string? Gateway, string? MacAddress);
