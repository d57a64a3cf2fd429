namespace Dockyard.Control.Engines;

/// <summary>PEM files for mutual TLS with an engine, as <c>docker --tlsverify</c> uses them.</summary>
/// <param name="CaFile">CA certificate that signed the engine's server certificate (the only root trusted).</param>
/// <param name="CertFile">Client certificate.</param>
/// <param name="KeyFile">Client private key.</param>
public sealed record EngineTls(string CaFile, string CertFile, string KeyFile);
