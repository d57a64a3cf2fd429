namespace Dockyard.Server.Hosting;

/// <summary>
/// Native HTTPS: with <c>Dockyard:Tls</c> set, every <c>https://</c> listen URL serves that certificate, asked for per
/// new connection from <see cref="ReloadingCertificate"/> (so a renewal needs no restart and no proxy).
/// </summary>
internal static class KestrelTls
{
    public static void Configure(WebApplicationBuilder builder)
    {
        if (TlsOptions.From(builder.Configuration) is not { } tls)
        {
            return;
        }

        // Loaded once here so that a wrong file stops the start with its reason instead of failing the first handshake.
        _ = ReloadingCertificate.Load(tls);
        builder.Services.AddSingleton(provider => new ReloadingCertificate(
            tls, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<ReloadingCertificate>>()));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
        {
            var certificate = kestrel.ApplicationServices.GetRequiredService<ReloadingCertificate>();
            https.ServerCertificateSelector = (_, _) => certificate.Current;
            https.SslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13;
        }));
    }
}
