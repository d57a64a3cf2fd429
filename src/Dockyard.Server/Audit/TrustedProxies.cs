using System.Net;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Audit;

/// <summary>
/// The client's address for the audit trail. <c>X-Forwarded-For</c> is believed only when the connection comes from
/// a configured trusted proxy; the list is then walked from the right, skipping trusted proxies, so a client cannot
/// forge its address by sending the header itself.
/// </summary>
internal sealed class TrustedProxies
{
    private readonly IPNetwork[] _networks;

    public TrustedProxies(IOptions<AuditOptions> options)
    {
        _networks = [.. options.Value.TrustedProxies.Select(Parse)];
    }

    public IPAddress? ClientAddress(HttpContext context)
    {
        var remote = Normalize(context.Connection.RemoteIpAddress);
        if (remote is null || _networks.Length == 0 || !IsTrusted(remote))
        {
            return remote;
        }

        var forwarded = context.Request.Headers["X-Forwarded-For"];
        var hops = string.Join(',', forwarded.ToArray()).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        for (var i = hops.Length - 1; i >= 0; i--)
        {
            if (!IPAddress.TryParse(hops[i], out var hop))
            {
                return remote;
            }

            hop = Normalize(hop)!;
            if (!IsTrusted(hop))
            {
                return hop;
            }

            remote = hop;
        }

        return remote;
    }

    private bool IsTrusted(IPAddress address)
    {
        foreach (var network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    private static IPAddress? Normalize(IPAddress? address) =>
        address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;

    private static IPNetwork Parse(string value)
    {
        if (IPNetwork.TryParse(value, out var network))
        {
            return network;
        }

        if (IPAddress.TryParse(value, out var address))
        {
            address = Normalize(address)!;
            return new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        }

        throw new InvalidOperationException($"{AuditOptions.Section}:TrustedProxies: '{value}' is neither an IP address nor a CIDR range.");
    }
}
