namespace Dockyard.Server.Trust.Crypto;

/// <summary>A key or signature that cannot be read: the message says why, in words fit for an API error or the CLI.</summary>
internal sealed class KeyFormatException(string message) : Exception(message);
