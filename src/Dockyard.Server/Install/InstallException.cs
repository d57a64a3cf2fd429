namespace Dockyard.Server.Install;

/// <summary>The installation cannot go on; the message (one sentence) says why and what to do.</summary>
internal sealed class InstallException(string message) : Exception(message);
