using System.Net;

namespace Dockyard.Server.Identity;

/// <summary>
/// The <c>login_throttles</c> keys one sign-in counts against: its source address, its username (all addresses),
/// and the pair of both. Any may be null (no address outside a request; no username for an access token).
/// </summary>
internal readonly record struct LoginKeys(string? Address, string? User, string? Pair)
{
    public static LoginKeys For(IPAddress? address, string? username) => new(
        address is null ? null : LoginThrottle.AddressKey(address),
        username is null ? null : LoginThrottle.UserKey(username),
        address is null || username is null ? null : LoginThrottle.PairKey(address, username));

    public string[] All => [.. new[] { Address, User, Pair }.OfType<string>()];
}
