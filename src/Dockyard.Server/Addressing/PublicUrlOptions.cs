namespace Dockyard.Server.Addressing;

/// <summary>
/// <c>Dockyard:PublicUrl</c> (the URL clients use to reach this registry) and the settings it is derived from or
/// checked against: the listen URLs (<c>--urls</c>, <c>Kestrel:Endpoints:*:Url</c>) and <c>AllowedHosts</c>.
/// </summary>
internal sealed class PublicUrlOptions
{
    public const string Key = "Dockyard:PublicUrl";

    /// <summary>The configured public URL, e.g. <c>https://registry.example.com</c>; null derives it from loopback-only listen URLs.</summary>
    public string? Configured { get; set; }

    public IReadOnlyList<string> ListenUrls { get; set; } = [];

    /// <summary>ASP.NET Core's <c>AllowedHosts</c> (semicolon-separated); null means the public URL's host plus loopback names.</summary>
    public string? AllowedHosts { get; set; }
}
