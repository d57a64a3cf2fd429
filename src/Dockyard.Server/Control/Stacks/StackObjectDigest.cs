using System.Security.Cryptography;
using System.Text;
using Dockyard.Server.Protection;

namespace Dockyard.Server.Control.Stacks;

/// <summary>
/// Swarm secrets and configs cannot change their data, and the engine never returns a secret's data; so Dockyard
/// labels what it creates with a keyed digest of the data (HMAC-SHA256 under a key derived from the server's secret
/// key: the label reveals nothing, not even for a guessable value) and compares it on the next deploy.
/// </summary>
internal sealed class StackObjectDigest(SecretKeyFile keyFile)
{
    /// <summary>The label holding the digest.</summary>
    public const string Label = "dockyard.stack.data-digest";

    private byte[]? _key;

    public string Of(string base64Data)
    {
        var key = _key ??= HKDF.DeriveKey(HashAlgorithmName.SHA256, keyFile.Key.Bytes, 32, info: Encoding.ASCII.GetBytes("dockyard stack object digest"));
        return "hmac-sha256:" + Convert.ToHexStringLower(HMACSHA256.HashData(key, Convert.FromBase64String(base64Data)));
    }
}
