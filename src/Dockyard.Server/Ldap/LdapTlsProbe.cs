using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Dockyard.Server.Ldap;

/// <summary>
/// Explains a failed ldaps/StartTLS connection. libldap reports every TLS failure as "server unavailable" (LDAP
/// error 81); after such a failure this repeats the handshake with .NET's TLS stack (same host and port, trusting the
/// system store plus <see cref="LdapSettings.TrustedCertificatesDirectory"/>) only to name the certificate problem.
/// Runs on the directory thread of the failed operation, bounded by the same time limit.
/// </summary>
internal static class LdapTlsProbe
{
    // LDAPMessage { messageID 1, extendedReq [APPLICATION 23] { requestName [0] "1.3.6.1.4.1.1466.20037" } }
    private static readonly byte[] StartTlsRequest = [0x30, 0x1d, 0x02, 0x01, 0x01, 0x77, 0x18, 0x80, 0x16, .. "1.3.6.1.4.1.1466.20037"u8];

    /// <summary>What is wrong with the server's certificate, or null when nothing is (or nothing could be learned).</summary>
    public static string? DescribeCertificateProblem(string host, int port, bool startTls, string? trustedCertificatesDirectory, TimeSpan timeout)
    {
        string? problem = null;
        try
        {
            using var client = new TcpClient();
            if (!client.ConnectAsync(host, port).Wait(timeout))
            {
                return null;
            }

            var milliseconds = (int)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue);
            client.ReceiveTimeout = milliseconds;
            client.SendTimeout = milliseconds;
            var stream = client.GetStream();
            if (startTls && !RequestStartTls(stream))
            {
                return null;
            }

            using var tls = new SslStream(stream, leaveInnerStreamOpen: true, (_, certificate, _, errors) =>
            {
                problem = Diagnose(host, certificate, errors, trustedCertificatesDirectory);
                return problem is null;
            });
            tls.AuthenticateAsClient(new SslClientAuthenticationOptions { TargetHost = host });
            return problem;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or SocketException or AggregateException or InvalidOperationException)
        {
            return problem;
        }
    }

    private static string? Diagnose(string host, X509Certificate? presented, SslPolicyErrors errors, string? trustedCertificatesDirectory)
    {
        if (presented is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return "the server presented no TLS certificate";
        }

        using var certificate = new X509Certificate2(presented);
        var described = $"the server's TLS certificate (subject '{certificate.Subject}', issued by '{certificate.Issuer}')";
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            var chainProblem = ChainProblem(certificate, trustedCertificatesDirectory);
            if (chainProblem is not null)
            {
                return $"{described} is not trusted: {chainProblem}. Put the issuing CA certificate into trustedCertificatesDirectory (or the system store)";
            }
        }

        return errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)
            ? $"{described} does not match the host name '{host}' of the URL"
            : null;
    }

    /// <summary>Why the chain does not verify against the system store nor the configured CA directory; null if one accepts it.</summary>
    private static string? ChainProblem(X509Certificate2 certificate, string? trustedCertificatesDirectory)
    {
        using var system = new X509Chain();
        system.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (system.Build(certificate))
        {
            return null;
        }

        var statuses = system.ChainStatus;
        if (!string.IsNullOrWhiteSpace(trustedCertificatesDirectory) && Directory.Exists(trustedCertificatesDirectory))
        {
            using var custom = new X509Chain();
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            foreach (var file in Directory.EnumerateFiles(trustedCertificatesDirectory))
            {
                try
                {
                    custom.ChainPolicy.CustomTrustStore.ImportFromPemFile(file);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
                {
                    // not a PEM certificate: libldap skips it too
                }
            }

            if (custom.Build(certificate))
            {
                return null;
            }

            statuses = custom.ChainStatus;
        }

        var reasons = statuses.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct().ToList();
        return reasons.Count > 0 ? string.Join("; ", reasons) : "its issuer is not a trusted CA";
    }

    /// <summary>Sends the StartTLS extended request and reads the response; true when the server agreed.</summary>
    private static bool RequestStartTls(NetworkStream stream)
    {
        stream.Write(StartTlsRequest);
        if (stream.ReadByte() != 0x30)
        {
            return false;
        }

        var message = new byte[ReadLength(stream)];
        stream.ReadExactly(message);
        var position = 0;
        Skip(message, ref position); // messageID
        if (position >= message.Length || message[position] != 0x78)
        {
            return false;
        }

        position++;
        _ = Length(message, ref position);
        // resultCode ENUMERATED: 0 is success.
        return position + 2 < message.Length && message[position] == 0x0a && message[position + 1] == 0x01 && message[position + 2] == 0;
    }

    private static int ReadLength(NetworkStream stream)
    {
        var first = stream.ReadByte();
        if (first < 0x80)
        {
            return first < 0 ? throw new IOException("The connection closed.") : first;
        }

        var length = 0;
        for (var i = 0; i < (first & 0x7f); i++)
        {
            var next = stream.ReadByte();
            length = next < 0 || length > 0xffff ? throw new IOException("Invalid LDAP message.") : (length << 8) | next;
        }

        return length;
    }

    private static void Skip(byte[] message, ref int position)
    {
        position++; // tag
        var length = Length(message, ref position);
        position += length;
    }

    private static int Length(byte[] message, ref int position)
    {
        if (position >= message.Length)
        {
            return 0;
        }

        var first = message[position++];
        if (first < 0x80)
        {
            return first;
        }

        var length = 0;
        for (var i = 0; i < (first & 0x7f) && position < message.Length; i++)
        {
            length = (length << 8) | message[position++];
        }

        return length;
    }
}
