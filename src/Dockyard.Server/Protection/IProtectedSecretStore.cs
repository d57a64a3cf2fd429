namespace Dockyard.Server.Protection;

/// <summary>
/// A place where a feature keeps secrets sealed by <see cref="SecretProtector"/> (token-signing keys, the data-protection
/// key ring, webhook secrets, the LDAP bind password). Protection asks every store before it creates a key, and at
/// start has each encrypt the values written in clear before encryption at rest existed.
/// </summary>
internal interface IProtectedSecretStore
{
    /// <summary>What the store holds, for messages (e.g. <c>token-signing keys</c>).</summary>
    string Name { get; }

    /// <summary>Whether any value is stored sealed. Synchronous: asked once, while the key is first loaded.</summary>
    bool AnyProtected();

    /// <summary>Seals every value still stored in clear; values already sealed are left alone. Returns how many it sealed.</summary>
    Task<int> ProtectClearValuesAsync(SecretProtector protector, CancellationToken cancellationToken);
}
