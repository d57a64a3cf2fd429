namespace Dockyard.Server.Access;

/// <summary>Which policy a <see cref="ResourceKind.Policy"/> resource is.</summary>
internal enum PolicyKind
{
    Immutability,
    Retention,
    Quota,

    /// <summary>Signature policies (content trust): changed by owners and system administrators like immutability rules.</summary>
    Signature,
}
