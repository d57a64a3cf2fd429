using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Dockyard.Control.Engines;

/// <summary>
/// Builds the HTTP handler and base address for one engine: a unix socket, or TCP with mutual TLS that trusts only
/// the configured CA. One handler per engine, reused for every call (connection pooling; streams take their own
/// connection for as long as they run).
/// </summary>
internal static class EngineConnection
{
    /// <summary>Every path is pinned to API 1.41 (dockerd 20.10); newer engines accept it.</summary>
    public const string ApiVersionPrefix = "v1.41/";

    public static Uri BaseAddress(EngineEndpoint endpoint) => endpoint.Address.Scheme switch
    {
        // The host name is never resolved: the connect callback dials the socket.
        "unix" => new Uri("http://docker/" + ApiVersionPrefix),
        "tcp" => new UriBuilder(endpoint.Tls is null ? "http" : "https", endpoint.Address.Host, endpoint.Address.Port, ApiVersionPrefix).Uri,
        _ => throw new ArgumentException($"engine {endpoint.Name}: unsupported address scheme '{endpoint.Address.Scheme}' (use unix:// or tcp://)", nameof(endpoint)),
    };

    public static SocketsHttpHandler CreateHandler(EngineEndpoint endpoint)
    {
        Validate(endpoint);
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            UseCookies = false,
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            // A stream abandoned before its end (logs follow, stats, events) closes its connection at once instead of
            // being drained for reuse: those streams never end on their own.
            MaxResponseDrainSize = 0,
        };

        if (endpoint.IsUnixSocket)
        {
            var path = endpoint.Address.AbsolutePath;
            handler.ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }
        else if (endpoint.Tls is { } tls)
        {
            handler.SslOptions = ClientTlsOptions(tls);
        }

        return handler;
    }

    private static void Validate(EngineEndpoint endpoint)
    {
        switch (endpoint.Address.Scheme)
        {
            case "unix" when endpoint.Address.AbsolutePath.Length > 1:
                return;
            case "tcp" when endpoint.Address.Port > 0 && (endpoint.Tls is not null || IsLoopback(endpoint.Address.Host)):
                return;
            case "tcp" when endpoint.Address.Port > 0:
                throw new ArgumentException($"engine {endpoint.Name}: tcp:// to a non-loopback address requires TLS client certificates", nameof(endpoint));
            default:
                throw new ArgumentException($"engine {endpoint.Name}: '{endpoint.Address}' is not a unix:///path or tcp://host:port address", nameof(endpoint));
        }
    }

    private static bool IsLoopback(string host) =>
        host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static SslClientAuthenticationOptions ClientTlsOptions(EngineTls tls)
    {
        var client = X509Certificate2.CreateFromPemFile(tls.CertFile, tls.KeyFile);
        var ca = X509CertificateLoader.LoadCertificateFromFile(tls.CaFile);
        return new SslClientAuthenticationOptions
        {
            ClientCertificates = [client],
            // Only the operator's CA is trusted for an engine, never the machine's public roots.
            CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                CustomTrustStore = { ca },
                RevocationMode = X509RevocationMode.NoCheck,
            },
        };
    }
}
