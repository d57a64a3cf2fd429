using System.Net;

namespace Dockyard.Server.Webhooks;

/// <summary>
/// Destinations a webhook may not reach unless an administrator allows them (<see cref="WebhookOptions.AllowedNetworks"/>):
/// this host, private and shared networks, link-local (cloud metadata at 169.254.169.254 and fd00:ec2::254), and
/// addresses that are not unicast destinations at all.
/// </summary>
internal static class WebhookDeniedNetworks
{
    /// <summary>Cloud metadata services by name (they resolve to link-local addresses, refused anyway; named here so the intent is plain).</summary>
    public static readonly IReadOnlySet<string> MetadataNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "metadata", "metadata.google.internal", "metadata.goog", "metadata.azure.internal", "instance-data", "instance-data.ec2.internal",
    };

    public static readonly IReadOnlyList<IPNetwork> Networks =
    [
        IPNetwork.Parse("0.0.0.0/8"),        // "this network"; 0.0.0.0 reaches this host
        IPNetwork.Parse("10.0.0.0/8"),       // private
        IPNetwork.Parse("100.64.0.0/10"),    // carrier-grade NAT (shared)
        IPNetwork.Parse("127.0.0.0/8"),      // loopback
        IPNetwork.Parse("169.254.0.0/16"),   // link-local, cloud metadata
        IPNetwork.Parse("172.16.0.0/12"),    // private
        IPNetwork.Parse("192.0.0.0/24"),     // IETF protocol assignments (incl. 192.0.0.170 NAT64 discovery)
        IPNetwork.Parse("192.168.0.0/16"),   // private
        IPNetwork.Parse("198.18.0.0/15"),    // benchmarking
        IPNetwork.Parse("224.0.0.0/4"),      // multicast
        IPNetwork.Parse("240.0.0.0/4"),      // reserved, incl. broadcast 255.255.255.255
        IPNetwork.Parse("::/96"),            // unspecified, loopback ::1, IPv4-compatible
        IPNetwork.Parse("100::/64"),         // discard-only
        IPNetwork.Parse("fc00::/7"),         // unique local (incl. fd00:ec2::254 metadata)
        IPNetwork.Parse("fe80::/10"),        // link-local
        IPNetwork.Parse("fec0::/10"),        // site-local (deprecated)
        IPNetwork.Parse("ff00::/8"),         // multicast
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    /// <summary>
    /// The IPv4 address an IPv6 address carries and reaches (IPv4-mapped, NAT64, 6to4), else the address itself:
    /// <c>::ffff:127.0.0.1</c> is loopback.
    /// </summary>
    public static IPAddress Effective(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            if (Nat64.Contains(address))
            {
                return new IPAddress(bytes.AsSpan(12, 4));
            }

            if (SixToFour.Contains(address))
            {
                return new IPAddress(bytes.AsSpan(2, 4));
            }
        }

        return address;
    }

    public static bool Contains(IPAddress address)
    {
        foreach (var network in Networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
