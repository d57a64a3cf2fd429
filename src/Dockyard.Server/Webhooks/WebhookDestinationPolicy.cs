using System.Net;
using Dockyard.Server.Errors;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Webhooks;

/// <summary>
/// Which destinations webhooks may reach: any address outside <see cref="WebhookDeniedNetworks"/>, plus the networks an
/// administrator lists in <see cref="WebhookOptions.AllowedNetworks"/>. Checked twice: a URL whose host is a literal
/// address is judged when the webhook is created or edited (a readable 400); every address a name resolves to is
/// judged when delivering (<see cref="WebhookConnector"/>), so DNS cannot smuggle an internal address in.
/// </summary>
internal sealed class WebhookDestinationPolicy
{
    private readonly IPNetwork[] _allowed;

    public WebhookDestinationPolicy(IOptions<WebhookOptions> options)
    {
        _allowed = TryParseNetworks(options.Value.AllowedNetworks, out var allowed, out var error)
            ? allowed
            : throw new InvalidOperationException(error);
    }

    /// <summary>Whether a webhook may connect to <paramref name="address"/>.</summary>
    public bool IsAllowed(IPAddress address)
    {
        var effective = WebhookDeniedNetworks.Effective(address);
        foreach (var network in _allowed)
        {
            if (network.Contains(effective) || network.Contains(address))
            {
                return true;
            }
        }

        return !WebhookDeniedNetworks.Contains(effective) && !WebhookDeniedNetworks.Contains(address);
    }

    /// <summary>Whether <paramref name="host"/> names a cloud metadata service (refused whatever it resolves to).</summary>
    public static bool IsMetadataName(string host) => WebhookDeniedNetworks.MetadataNames.Contains(host.TrimEnd('.'));

    /// <summary>Refuses (400 on <c>url</c>) a URL whose host is a metadata name or a literal address in a denied range, in any spelling.</summary>
    public void ThrowIfDenied(Uri url)
    {
        var host = url.HostNameType == UriHostNameType.IPv6 ? url.Host : url.IdnHost;
        if (IsMetadataName(host) || (WebhookHostLiteral.TryParse(host, out var address) && !IsAllowed(address)))
        {
            throw DomainException.Invalid(
                "url",
                "Webhooks may not target this host's own, private, link-local or metadata addresses. An administrator can allow a network (Dockyard:Webhooks:AllowedNetworks).");
        }
    }

    /// <summary>Parses CIDR ranges or single addresses (commas separate several in one entry); blank entries are ignored.</summary>
    public static bool TryParseNetworks(IEnumerable<string> entries, out IPNetwork[] networks, out string? error)
    {
        var parsed = new List<IPNetwork>();
        error = null;
        foreach (var value in entries.SelectMany(e => e.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            if (IPNetwork.TryParse(value, out var network))
            {
                parsed.Add(network);
            }
            else if (IPAddress.TryParse(value, out var address))
            {
                parsed.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                error = $"{WebhookOptions.Section}:AllowedNetworks: '{value}' is neither an IP address nor a CIDR range.";
                break;
            }
        }

        networks = [.. parsed];
        return error is null;
    }
}
