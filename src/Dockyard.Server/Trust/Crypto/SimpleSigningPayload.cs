using System.Diagnostics.CodeAnalysis;

namespace Dockyard.Server.Trust.Crypto;

/// <summary>
/// The "simple signing" payload cosign and containers/image sign (the layer blob of a <c>sha256-&lt;hex&gt;.sig</c> manifest):
/// <c>{"critical":{"identity":{"docker-reference":R},"image":{"docker-manifest-digest":D},"type":"cosign container image signature"},"optional":{…}}</c>.
/// </summary>
internal sealed record SimpleSigningPayload(string DockerReference, string ManifestDigest, DateTimeOffset? Timestamp)
{
    /// <summary>The <c>type</c> value every such payload carries.</summary>
    public const string PayloadType = "cosign container image signature";

    /// <summary>The layer media type of one such signature.</summary>
    public const string MediaType = "application/vnd.dev.cosign.simplesigning.v1+json";

    /// <summary>The layer annotation holding the base64 signature.</summary>
    public const string SignatureAnnotation = "dev.cosignproject.cosign/signature";

    /// <summary>The payload's JSON bytes (the exact bytes that get signed); <see cref="Timestamp"/>, when set, goes in <c>optional</c> as cosign's <c>timestamp</c> (Unix seconds) does.</summary>
    public byte[] ToJson() => throw new NotImplementedException();

    /// <summary>Parses a payload, checking <c>type</c> and the shape of the digest; <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(ReadOnlySpan<byte> json, [NotNullWhen(true)] out SimpleSigningPayload? payload, [NotNullWhen(false)] out string? error) =>
        throw new NotImplementedException();
}
