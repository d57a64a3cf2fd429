namespace Dockyard.Server.Data;

/// <summary>
/// The running product version (e.g. <c>0.12.0</c>), registered by the host so that data code can name it (a schema
/// newer than this build) without depending on the hosting folder.
/// </summary>
internal sealed record ProductVersion(string Value);
