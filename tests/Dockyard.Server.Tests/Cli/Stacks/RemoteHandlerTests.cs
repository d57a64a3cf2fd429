using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dockyard.Server.Cli.Stacks;

namespace Dockyard.Server.Tests.Cli.Stacks;

/// <summary><c>--ca-file</c>: a server certificate is accepted only when its chain ends at a CA of the file and its name matches.</summary>
public sealed class RemoteHandlerTests
{
    [Fact]
    public void A_certificate_issued_by_the_ca_in_the_file_is_trusted_and_others_are_not()
    {
        using var ca = Authority("Test CA");
        using var other = Authority("Other CA");
        using var leaf = Issue(ca, "dockyard.test");
        using var stranger = Issue(other, "dockyard.test");
        var roots = new X509Certificate2Collection { X509CertificateLoader.LoadCertificate(ca.Export(X509ContentType.Cert)) };

        Assert.True(RemoteHandler.Validate(leaf, SslPolicyErrors.RemoteCertificateChainErrors, roots));
        Assert.False(RemoteHandler.Validate(stranger, SslPolicyErrors.RemoteCertificateChainErrors, roots));
        Assert.False(RemoteHandler.Validate(leaf, SslPolicyErrors.RemoteCertificateNameMismatch, roots));
        Assert.False(RemoteHandler.Validate(null, SslPolicyErrors.RemoteCertificateNotAvailable, roots));
    }

    [Fact]
    public void A_ca_file_without_certificates_is_a_usage_error()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not a certificate");
            var error = Assert.Throws<CliUsageException>(() => RemoteHandler.LoadRoots(path));
            Assert.Contains("holds no PEM certificate", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static X509Certificate2 Authority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 Issue(X509Certificate2 authority, string host)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        request.CertificateExtensions.Add(names.Build());
        using var issued = request.Create(authority, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), RandomNumberGenerator.GetBytes(8));
        return issued.CopyWithPrivateKey(key);
    }
}
