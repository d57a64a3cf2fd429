using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Dockyard.Server.Access;
using Dockyard.Server.Tokens;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Trust.Notary;

/// <summary>
/// Reads TUF metadata of one trust collection from the configured notary server:
/// <c>GET {url}/v2/{gun}/_trust/tuf/{role}.json</c> with a pull token Dockyard mints for itself (the notary server
/// trusts Dockyard as its token issuer). Bounded: a timeout per request, a size limit per file, no redirects.
/// </summary>
internal sealed class NotaryMetadataClient(RegistryTokenIssuer issuer, IOptions<NotaryOptions> options) : IDisposable
{
    private readonly Lazy<HttpClient> _http = new(() => CreateClient(options.Value));

    /// <summary>The role's metadata bytes; null when the server has none (404: the repository was never signed).</summary>
    public async Task<byte[]?> GetAsync(string gun, string role, string registryHost, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var token = await issuer.IssueAsync(
            Principal.System, [new ResourceScope(ResourceScope.RepositoryType, gun, ["pull"])], [registryHost], cancellationToken);
        var url = new Uri($"{settings.Url!.TrimEnd('/')}/v2/{gun}/_trust/tuf/{role}.json");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        using var response = await _http.Value.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"notary server answered {(int)response.StatusCode} for {role}.json of {gun}", null, response.StatusCode);
        }

        if (response.Content.Headers.ContentLength > settings.MaxMetadataBytes)
        {
            throw new InvalidDataException($"{role}.json of {gun} is larger than {settings.MaxMetadataBytes} bytes");
        }

        await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, timeout.Token)) > 0)
        {
            if (buffer.Length + read > settings.MaxMetadataBytes)
            {
                throw new InvalidDataException($"{role}.json of {gun} is larger than {settings.MaxMetadataBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    public void Dispose()
    {
        if (_http.IsValueCreated)
        {
            _http.Value.Dispose();
        }
    }

    private static HttpClient CreateClient(NotaryOptions settings)
    {
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (settings.CaFile is { Length: > 0 } caFile)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(caFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
                {
                    return false; // a name mismatch or no certificate is never excused
                }

                using var custom = new X509Chain();
                custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                custom.ChainPolicy.CustomTrustStore.AddRange(roots);
                custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                if (chain is not null)
                {
                    custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
                }

                return custom.Build(new X509Certificate2(certificate));
            };
        }

        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }
}
