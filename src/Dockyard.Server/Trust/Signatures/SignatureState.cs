namespace Dockyard.Server.Trust.Signatures;

/// <summary>What an image's signatures amount to.</summary>
internal enum SignatureState
{
    /// <summary>No signature was found.</summary>
    Unsigned,

    /// <summary>At least one signature verifies under a key that counts now.</summary>
    Signed,

    /// <summary>Signatures exist but none verifies under a key that counts (tampered, wrong digest, unknown, revoked or expired key).</summary>
    Invalid,
}
