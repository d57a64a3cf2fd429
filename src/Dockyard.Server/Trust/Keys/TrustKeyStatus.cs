namespace Dockyard.Server.Trust.Keys;

/// <summary>Whether a registered key's signatures count: only <see cref="Active"/> ones do.</summary>
internal enum TrustKeyStatus
{
    Active,
    Expired,
    Revoked,
}
