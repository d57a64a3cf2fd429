namespace Dockyard.Server.Protection;

/// <summary>An AES-256 key and its identifier (in every envelope it sealed, so a value names the key it needs).</summary>
internal sealed record SecretKey(string Id, byte[] Bytes);
