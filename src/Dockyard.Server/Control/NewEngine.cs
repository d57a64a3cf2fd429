namespace Dockyard.Server.Control;

/// <summary>An engine an administrator adds: name, endpoint and, for remote TCP, the paths of the TLS files.</summary>
internal sealed record NewEngine(string? Name, string? Endpoint, string? CaFile = null, string? CertFile = null, string? KeyFile = null);
