using System.CommandLine;
using Dockyard.Server.Audit;
using Dockyard.Server.Tokens;

namespace Dockyard.Server.Cli;

/// <summary>
/// <c>dockyard keys rotate [--data DIR]</c>: a new token-signing key signs from now on; tokens signed by the
/// previous key stay valid until they expire. Running servers pick the new key up within a minute.
/// <c>dockyard keys generate</c>: an image-signing key pair for skopeo and podman (<see cref="KeysGenerateCommand"/>).
/// </summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var data = DataDirectoryOption.Create();
        var rotate = new Command("rotate", "Create a new token-signing key and retire the current one.") { data };
        rotate.SetAction(async (parse, cancellationToken) =>
        {
            using var host = await DataDirectoryOption.OpenAsync(parse, data, cancellationToken);
            var kid = await host.Services.GetRequiredService<SigningKeyStore>().RotateAsync(Caller.System.With("via", "cli"), cancellationToken);
            parse.InvocationConfiguration.Output.WriteLine($"signing key rotated: {kid} signs new tokens");
            return 0;
        });
        return new Command("keys", "Manage token-signing keys (rotate) and create image-signing key pairs (generate).") { rotate, KeysGenerateCommand.Create() };
    }
}
