namespace Dockyard.Server.Cli.Signing;

/// <summary>The body of <c>POST /api/v1/repositories/{name}/manifests/{reference}/signatures</c>.</summary>
internal sealed record SignRequestWire(string Key);
