using System.CommandLine;
using Dockyard.Server.Tokens;

namespace Dockyard.Server.Cli;

/// <summary>
/// <c>dockyard trust notary-ca [--data DIR]</c>: prints the token CA certificate (PEM), created when there is none, for
/// a notary server's <c>rootcertbundle</c> (docs/trust.md, "Docker Content Trust").
/// </summary>
internal static class TrustCommand
{
    public static Command Create()
    {
        var data = DataDirectoryOption.Create();
        var notaryCa = new Command("notary-ca", "Print the CA certificate (PEM) that signs Dockyard's token keys, for notary-server's auth rootcertbundle.") { data };
        notaryCa.SetAction(async (parse, cancellationToken) =>
        {
            using var host = await DataDirectoryOption.OpenAsync(parse, data, cancellationToken);
            var pem = await host.Services.GetRequiredService<TokenCertificateAuthority>().GetCertificatePemAsync(cancellationToken);
            parse.InvocationConfiguration.Output.Write(pem.EndsWith('\n') ? pem : pem + "\n");
            return 0;
        });
        return new Command("trust", "Content trust.") { notaryCa };
    }
}
