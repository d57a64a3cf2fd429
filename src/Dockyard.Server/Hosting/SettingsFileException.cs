namespace Dockyard.Server.Hosting;

/// <summary>The settings file (<c>--config</c>/<c>DOCKYARD_CONFIG</c>) is missing, unreadable or invalid; the message says which, in one sentence.</summary>
internal sealed class SettingsFileException(string message) : Exception(message);
