using System.Net;
using System.Net.Sockets;

namespace Dockyard.Server.Webhooks;

/// <summary>
/// The delivery client's <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves the host itself, requires every
/// address it resolves to to pass <see cref="WebhookDestinationPolicy"/>, and connects to those very addresses — the
/// checked address is the connected one, so a name that answers differently the second time (DNS rebinding) gains
/// nothing. Redirects are never followed (each would be a new destination), so no other path leads elsewhere.
/// </summary>
internal sealed class WebhookConnector(WebhookDestinationPolicy policy)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endPoint = context.DnsEndPoint;
        var host = endPoint.Host.StartsWith('[') && endPoint.Host.EndsWith(']') ? endPoint.Host[1..^1] : endPoint.Host;
        if (WebhookDestinationPolicy.IsMetadataName(host))
        {
            throw new WebhookDestinationDeniedException();
        }

        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);

        // All or nothing: a name with one internal address among public ones is refused, not partly used.
        if (addresses.Length == 0 || !addresses.All(policy.IsAllowed))
        {
            throw new WebhookDestinationDeniedException();
        }

        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException error)
            {
                socket.Dispose();
                last = error;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }
}
