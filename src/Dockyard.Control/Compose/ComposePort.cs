namespace Dockyard.Control.Compose;

/// <summary>One published port: <see cref="Mode"/> is <c>ingress</c> or <c>host</c>, <see cref="Protocol"/> tcp/udp/sctp.</summary>
public sealed record ComposePort(int Target, int? Published, string Protocol, string Mode);
