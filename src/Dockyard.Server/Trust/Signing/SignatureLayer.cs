using Dockyard.Registry;

namespace Dockyard.Server.Trust.Signing;

/// <summary>One cosign simple-signing signature as a layer of a <c>.sig</c> manifest: the payload blob and its base64 signature annotation.</summary>
internal sealed record SignatureLayer(Digest PayloadDigest, long PayloadSize, string SignatureBase64);
