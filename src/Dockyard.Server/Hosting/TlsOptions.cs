namespace Dockyard.Server.Hosting;

/// <summary>
/// <c>Dockyard:Tls</c>: the PEM certificate and private key Kestrel serves on the <c>https://</c> listen URLs
/// (docs/operations.md#tls). Both or neither; changed files are picked up without a restart (<see cref="ReloadingCertificate"/>).
/// </summary>
internal sealed record TlsOptions
{
    public const string Section = "Dockyard:Tls";

    /// <summary>PEM certificate (the server's first; chain certificates may follow).</summary>
    public string? CertificateFile { get; init; }

    /// <summary>PEM private key (PKCS#8, PKCS#1 or SEC1, unencrypted) of the certificate.</summary>
    public string? KeyFile { get; init; }

    /// <summary>The configured files, or null when TLS is not configured; throws when only one of them is.</summary>
    public static TlsOptions? From(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<TlsOptions>();
        var certificate = options?.CertificateFile is { Length: > 0 };
        var key = options?.KeyFile is { Length: > 0 };
        if (certificate != key)
        {
            throw new InvalidOperationException($"{Section}:CertificateFile and {Section}:KeyFile must be set together (only {(certificate ? "CertificateFile" : "KeyFile")} is).");
        }

        return certificate ? options : null;
    }
}
