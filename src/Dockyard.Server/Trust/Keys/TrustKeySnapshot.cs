namespace Dockyard.Server.Trust.Keys;

/// <summary>
/// Every registered key (revoked and expired ones too, so a verdict can name them), by fingerprint.
/// <see cref="Version"/> changes whenever a key is added, revoked or deleted: verdicts cached under one version are
/// never served under another.
/// </summary>
internal sealed record TrustKeySnapshot(IReadOnlyDictionary<string, TrustedKey> ByFingerprint, long Version);
