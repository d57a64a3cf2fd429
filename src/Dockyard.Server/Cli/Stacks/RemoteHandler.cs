using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Dockyard.Server.Cli.Stacks;

/// <summary>
/// The HTTP handler of the remote verbs: TLS verified as usual, or against the certificates of <c>--ca-file</c> only
/// (a private CA) — the host name must match either way. No redirects: a token is not sent anywhere else.
/// </summary>
internal static class RemoteHandler
{
    public static HttpMessageHandler Create(RemoteSettings settings)
    {
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(15) };
        if (settings.CaFile is { } caFile)
        {
            var roots = LoadRoots(caFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, presented, errors) =>
                Validate(certificate as X509Certificate2, errors, roots, presented?.ChainElements.Select(e => e.Certificate));
        }

        return handler;
    }

    /// <summary>The PEM certificates of a CA bundle; a file without any is a usage error.</summary>
    public static X509Certificate2Collection LoadRoots(string caFile)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(caFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new CliUsageException($"--ca-file '{caFile}': {e.Message}");
        }

        return roots.Count > 0 ? roots : throw new CliUsageException($"--ca-file '{caFile}' holds no PEM certificate.");
    }

    /// <summary>
    /// Accepts a server certificate whose name matches and whose chain ends at one of <paramref name="roots"/>
    /// (the system's trust store is not consulted: the CA file says whom to trust).
    /// </summary>
    public static bool Validate(X509Certificate2? certificate, SslPolicyErrors errors, X509Certificate2Collection roots, IEnumerable<X509Certificate2>? intermediates = null)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        foreach (var intermediate in intermediates ?? [])
        {
            chain.ChainPolicy.ExtraStore.Add(intermediate);
        }

        return chain.Build(certificate);
    }
}
