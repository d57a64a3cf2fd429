using System.Net;
using System.Security.Cryptography.X509Certificates;
using Dockyard.Server.Install;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Hosting;

/// <summary>Native HTTPS (<c>Dockyard:Tls</c>) over real TLS connections, and the certificate replaced under a running server.</summary>
public sealed class TlsCertificateReloadTests
{
    [Fact]
    public async Task ReplacedCertificateFiles_AreServedOnTheNextConnection_AndABrokenReplacementKeepsTheLastGoodOne()
    {
        using var directory = new TempDirectory("tls");
        var certificateFile = directory.Combine("certificate.pem");
        var keyFile = directory.Combine("key.pem");
        var first = WritePair(certificateFile, keyFile, "first.test");
        await using var server = await InProcessDockyard.StartAsync(settings: new Dictionary<string, string?>
        {
            ["urls"] = "https://127.0.0.1:0",
            ["Dockyard:Tls:CertificateFile"] = certificateFile,
            ["Dockyard:Tls:KeyFile"] = keyFile,
        });
        Assert.Equal("https", server.BaseAddress.Scheme);

        Assert.Equal(first.Thumbprint, await PresentedThumbprintAsync(server.BaseAddress));

        var second = WritePair(certificateFile, keyFile, "second.test");
        Assert.Equal(second.Thumbprint, await WaitForThumbprintAsync(server.BaseAddress, second.Thumbprint));

        // A half-written renewal: the server keeps presenting the last certificate that loaded.
        await File.WriteAllTextAsync(certificateFile, "-----BEGIN CERTIFICATE-----\nnot base64\n");
        await Task.Delay(ReloadingCertificateInterval * 2);
        Assert.Equal(second.Thumbprint, await PresentedThumbprintAsync(server.BaseAddress));
    }

    private static readonly TimeSpan ReloadingCertificateInterval = Dockyard.Server.Hosting.ReloadingCertificate.CheckInterval;

    private static X509Certificate2 WritePair(string certificateFile, string keyFile, string host)
    {
        var (certificate, key) = SelfSignedCertificate.Create(host, TimeProvider.System, TimeSpan.FromDays(1));
        File.WriteAllText(keyFile, key);
        File.WriteAllText(certificateFile, certificate);
        return X509Certificate2.CreateFromPem(certificate);
    }

    private static async Task<string> WaitForThumbprintAsync(Uri address, string expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        string seen;
        do
        {
            seen = await PresentedThumbprintAsync(address);
            if (seen == expected)
            {
                return seen;
            }

            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);
        return seen;
    }

    /// <summary>A new TLS connection's certificate (pinned: whatever it is, the request goes on to prove the server answers over it).</summary>
    private static async Task<string> PresentedThumbprintAsync(Uri address)
    {
        string? thumbprint = null;
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            thumbprint = certificate is null ? null : new X509Certificate2(certificate).Thumbprint;
            return thumbprint is not null;
        };
        using var client = new HttpClient(handler) { BaseAddress = address };
        using var response = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return thumbprint!;
    }
}
