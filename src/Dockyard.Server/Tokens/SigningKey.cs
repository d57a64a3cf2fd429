using System.Security.Cryptography;

namespace Dockyard.Server.Tokens;

/// <summary>An ES256 key as loaded from <c>signing_keys</c>; <see cref="Kid"/> goes into the JWS header.</summary>
internal sealed record SigningKey(string Kid, ECDsa Key, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt);
