namespace Dockyard.Control.Engines;

/// <summary>
/// Where one Docker engine's API is reached: <c>unix:///run/docker.sock</c>, or <c>tcp://host:2376</c> with
/// <see cref="Tls"/> (client certificate and the CA that signed the engine's certificate). Plain TCP without TLS is
/// accepted only for loopback addresses: anyone who reaches an engine's API owns the machine.
/// </summary>
/// <param name="Name">Operator-chosen name, unique among engines (shown in the UI, used in API paths).</param>
/// <param name="Address">The engine's API address.</param>
/// <param name="Tls">Client TLS material for <c>tcp://</c> addresses; null for unix sockets.</param>
public sealed record EngineEndpoint(string Name, Uri Address, EngineTls? Tls = null)
{
    /// <summary>True when the engine is reached over a unix domain socket.</summary>
    public bool IsUnixSocket => Address.Scheme == "unix";
}
