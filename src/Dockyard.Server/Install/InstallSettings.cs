namespace Dockyard.Server.Install;

/// <summary>What <c>dockyard install</c> was asked to set up; paths are as the installed system sees them (without <see cref="Root"/>).</summary>
internal sealed record InstallSettings
{
    /// <summary>Directory every written path is placed under ("/" for the real system; a scratch directory in tests).</summary>
    public string Root { get; init; } = "/";

    public string User { get; init; } = "dockyard";

    public string DataDirectory { get; init; } = "/var/lib/dockyard";

    public string ConfigDirectory { get; init; } = "/etc/dockyard";

    /// <summary>Listen URLs; null = <c>https://0.0.0.0:443</c> with TLS, else <c>http://127.0.0.1:5000</c>.</summary>
    public string? Urls { get; init; }

    public string? PublicUrl { get; init; }

    public string? TlsCertificate { get; init; }

    public string? TlsKey { get; init; }

    /// <summary>Host name for a generated self-signed certificate (instead of <see cref="TlsCertificate"/>/<see cref="TlsKey"/>).</summary>
    public string? SelfSignedHost { get; init; }

    /// <summary>The command line that runs Dockyard (an executable, or <c>dotnet …/dockyard.dll</c>).</summary>
    public required IReadOnlyList<string> Command { get; init; }

    public bool HasTls => TlsCertificate is not null || SelfSignedHost is not null;

    public string EffectiveUrls => Urls ?? (HasTls ? "https://0.0.0.0:443" : "http://127.0.0.1:5000");

    public string ConfigFile => System.IO.Path.Combine(ConfigDirectory, "dockyard.json");

    public string CertificateFile => System.IO.Path.Combine(ConfigDirectory, "tls", "certificate.pem");

    public string KeyFile => System.IO.Path.Combine(ConfigDirectory, "tls", "key.pem");

    public const string UnitFile = "/etc/systemd/system/dockyard.service";

    public string SysusersFile => $"/etc/sysusers.d/{User}.conf";

    /// <summary><paramref name="path"/> (absolute, as installed) under <see cref="Root"/>.</summary>
    public string UnderRoot(string path) => System.IO.Path.GetFullPath(Root).TrimEnd('/') + path;
}
