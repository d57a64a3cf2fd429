using System.CommandLine;
using System.Text;
using Dockyard.Server.Trust.Crypto;

namespace Dockyard.Server.Cli;

/// <summary>
/// <c>dockyard keys generate [--output-key-prefix PATH] [--passphrase-file F]</c>: a signing key pair that skopeo and
/// podman use directly (<c>--sign-by-sigstore-private-key PREFIX.key</c>), the public half for Dockyard's trusted keys.
/// Needs no data directory. The passphrase comes from the file, else <c>DOCKYARD_KEY_PASSWORD</c>, else a terminal prompt.
/// </summary>
internal static class KeysGenerateCommand
{
    public const string PassphraseVariable = "DOCKYARD_KEY_PASSWORD";

    public static Command Create()
    {
        var prefix = new Option<string>("--output-key-prefix") { Description = "Write PREFIX.key and PREFIX.pub.", DefaultValueFactory = _ => "cosign" };
        var passphraseFile = new Option<FileInfo>("--passphrase-file") { Description = $"Read the passphrase from the first line of this file (else ${PassphraseVariable}, else a prompt)." };
        var command = new Command("generate", "Create a signing key pair for skopeo/podman --sign-by-sigstore-private-key (PREFIX.key, encrypted) and PREFIX.pub.") { prefix, passphraseFile };
        command.SetAction(parse =>
        {
            var error = parse.InvocationConfiguration.Error;
            var keyPath = Path.GetFullPath(parse.GetValue(prefix)! + ".key");
            var pubPath = Path.GetFullPath(parse.GetValue(prefix)! + ".pub");
            foreach (var path in new[] { keyPath, pubPath })
            {
                if (File.Exists(path))
                {
                    error.WriteLine($"error: {path} exists; refusing to overwrite it.");
                    return 1;
                }
            }

            var passphrase = ReadPassphrase(parse.GetValue(passphraseFile), error);
            if (passphrase is null)
            {
                return 2;
            }

            using var key = SigningPrivateKey.Generate();
            var pem = EncryptedCosignKey.Encrypt(key, Encoding.UTF8.GetBytes(passphrase));
            try
            {
                WriteNew(keyPath, pem, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                WriteNew(pubPath, key.PublicKey.ToPem(), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }
            catch (IOException e)
            {
                error.WriteLine($"error: {e.Message}");
                return 1;
            }

            var output = parse.InvocationConfiguration.Output;
            output.WriteLine($"Private key written to {keyPath}");
            output.WriteLine($"Public key written to {pubPath}");
            output.WriteLine($"Fingerprint: {key.PublicKey.Fingerprint}");
            return 0;
        });
        return command;
    }

    /// <summary>skopeo's reading of --sign-passphrase-file: the first line, without its "\n".</summary>
    internal static string ReadPassphraseFileLine(string content)
    {
        var end = content.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? content : content[..end];
    }

    private static string? ReadPassphrase(FileInfo? file, TextWriter error)
    {
        string? passphrase;
        if (file is not null)
        {
            if (!file.Exists)
            {
                error.WriteLine($"error: passphrase file {file.FullName} does not exist.");
                return null;
            }

            passphrase = ReadPassphraseFileLine(File.ReadAllText(file.FullName));
        }
        else if (Environment.GetEnvironmentVariable(PassphraseVariable) is { Length: > 0 } fromEnvironment)
        {
            passphrase = fromEnvironment;
        }
        else if (!Console.IsInputRedirected)
        {
            passphrase = PasswordInput.Prompt("Enter passphrase for the private key: ");
            if (passphrase is not null && PasswordInput.Prompt("Enter the passphrase again: ") != passphrase)
            {
                error.WriteLine("error: the passphrases differ.");
                return null;
            }
        }
        else
        {
            error.WriteLine($"error: no passphrase: give --passphrase-file or set {PassphraseVariable} (standard input is not a terminal).");
            return null;
        }

        if (string.IsNullOrEmpty(passphrase))
        {
            error.WriteLine("error: the passphrase is empty; an unencrypted signing key is not written.");
            return null;
        }

        return passphrase;
    }

    /// <summary>Creates <paramref name="path"/> with <paramref name="mode"/> from the start (no window with wider rights); fails if it exists.</summary>
    private static void WriteNew(string path, string content, UnixFileMode mode)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        using var stream = new FileStream(path, options);
        stream.Write(Encoding.UTF8.GetBytes(content));
        stream.Flush(flushToDisk: true);
    }
}
