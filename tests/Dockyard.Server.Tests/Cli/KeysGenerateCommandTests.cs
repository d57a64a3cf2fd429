using Dockyard.Server.Tests.Infrastructure;
using Dockyard.Server.Trust.Crypto;
using Xunit.Abstractions;

namespace Dockyard.Server.Tests.Cli;

/// <summary>
/// The built <c>dockyard keys generate</c>, run as a process. (Real-client signing with the key is not tested here:
/// Debian's skopeo 1.9.3 and podman 4.3.1 carry a Debian-local patch that refuses sigstore signing — "sigstore disabled".)
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class KeysGenerateCommandTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _work = new("keys-generate");

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Generate_writes_a_private_encrypted_key_and_its_public_key_and_refuses_to_overwrite()
    {
        var prefix = _work.Combine("release");
        var passphraseFile = _work.Combine("passphrase");
        await File.WriteAllTextAsync(passphraseFile, "s3cret phrase\nsecond line\n");

        var generate = await DockyardProcess.RunVerbAsync(["keys", "generate", "--output-key-prefix", prefix, "--passphrase-file", passphraseFile], new Dictionary<string, string?>());
        output.WriteLine(generate.Describe());
        Assert.Equal(0, generate.ExitCode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(prefix + ".key"));
        var keyPem = await File.ReadAllTextAsync(prefix + ".key");
        Assert.StartsWith("-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----", keyPem, StringComparison.Ordinal);
        var publicKey = SignaturePublicKey.Parse(await File.ReadAllTextAsync(prefix + ".pub"));
        Assert.Contains($"Fingerprint: {publicKey.Fingerprint}", generate.StandardOutput, StringComparison.Ordinal);

        // The passphrase is the file's first line without "\n", as skopeo reads --sign-passphrase-file.
        using (var opened = EncryptedCosignKey.Decrypt(keyPem, "s3cret phrase"u8))
        {
            Assert.Equal(publicKey.Fingerprint, opened.PublicKey.Fingerprint);
        }

        var again = await DockyardProcess.RunVerbAsync(["keys", "generate", "--output-key-prefix", prefix, "--passphrase-file", passphraseFile], new Dictionary<string, string?>());
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("refusing to overwrite", again.StandardError, StringComparison.Ordinal);
        Assert.Equal(keyPem, await File.ReadAllTextAsync(prefix + ".key"));
    }

    [Fact]
    public async Task Generate_takes_the_passphrase_from_the_environment_and_refuses_to_run_without_one()
    {
        var prefix = _work.Combine("env");
        var generate = await DockyardProcess.RunVerbAsync(["keys", "generate", "--output-key-prefix", prefix], new Dictionary<string, string?> { ["DOCKYARD_KEY_PASSWORD"] = "from env" });
        output.WriteLine(generate.Describe());
        Assert.Equal(0, generate.ExitCode);
        using (var opened = EncryptedCosignKey.Decrypt(await File.ReadAllTextAsync(prefix + ".key"), "from env"u8))
        {
            Assert.Equal(SignaturePublicKey.Parse(await File.ReadAllTextAsync(prefix + ".pub")).Fingerprint, opened.PublicKey.Fingerprint);
        }

        var none = await DockyardProcess.RunVerbAsync(["keys", "generate", "--output-key-prefix", _work.Combine("none")], new Dictionary<string, string?> { ["DOCKYARD_KEY_PASSWORD"] = null });
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("no passphrase", none.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(_work.Combine("none.key")));
    }
}
