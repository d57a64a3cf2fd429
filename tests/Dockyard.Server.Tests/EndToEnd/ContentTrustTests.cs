using System.Text.Json;
using System.Text.RegularExpressions;
using Dockyard.Registry;
using Dockyard.Server.Audit;
using Dockyard.Server.Hosting;
using Dockyard.Server.Tests.Infrastructure;
using Dockyard.Server.Tests.Tokens;
using Dockyard.Server.Trust.Keys;
using Dockyard.Server.Trust.Notary;
using Dockyard.Server.Trust.Signatures;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Dockyard.Server.Tests.EndToEnd;

/// <summary>
/// Docker Content Trust with Debian's notary-server beside a real Dockyard process that is its token issuer: the docker
/// CLI signs on push, <c>docker trust inspect</c> lists the signer, pulls with DCT accept the signed tag and refuse an
/// unsigned one, and Dockyard reads the TUF targets: signed by a key it does not know (invalid, naming the key), then,
/// once that key is registered for a team, signed by that team.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class ContentTrustTests : IAsyncLifetime
{
    private readonly DockerDaemonFixture _docker;
    private readonly ITestOutputHelper _output;
    private readonly TempDirectory _work = new("dct-e2e");
    private DockyardProcess _server = null!;
    private NotaryServer _notary = null!;
    private string _image = null!;
    private Dictionary<string, string?> _cli = null!;

    public ContentTrustTests(DockerDaemonFixture docker, ITestOutputHelper output)
    {
        _docker = docker;
        _output = output;
    }

    public async Task InitializeAsync()
    {
        _server = await DockyardProcess.StartAsync(new Dictionary<string, string> { ["DOCKYARD__AUTH__ENABLED"] = "true" });
        using var http = new HttpClient { BaseAddress = _server.BaseAddress };
        var tokenCa = await http.GetStringAsync("/api/v1/trust/token-ca");
        _notary = await NotaryServer.StartAsync(new Uri(_server.BaseAddress, "/auth/token").AbsoluteUri, "dockyard", "dockyard", tokenCa);

        var config = Directory.CreateDirectory(_work.Combine("docker-config")).FullName;
        File.WriteAllText(Path.Combine(config, "config.json"), "{}");
        var tls = Directory.CreateDirectory(Path.Combine(config, "tls", _notary.Authority)).FullName;
        File.Copy(_notary.CaFile, Path.Combine(tls, "ca.crt"));
        _cli = new Dictionary<string, string?>
        {
            ["DOCKER_HOST"] = _docker.DockerHost,
            ["DOCKER_CONFIG"] = config,
            ["DOCKER_CONTEXT"] = null,
            ["DOCKER_TLS_VERIFY"] = null,
            ["DOCKER_CERT_PATH"] = null,
            ["DOCKER_CLI_HINTS"] = "false",
            ["DOCKER_CONTENT_TRUST"] = null,
            ["DOCKER_CONTENT_TRUST_SERVER"] = _notary.Url,
            ["DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE"] = "root-passphrase-1",
            ["DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE"] = "repository-passphrase-1",
        };
        _image = $"dockyard-e2e/busybox:{Guid.NewGuid():N}";
        await TestImages.BuildBusyboxImageAsync(_docker, _image, _work.Path);
    }

    public async Task DisposeAsync()
    {
        await _docker.RunDockerUncheckedAsync("rmi", "-f", _image);
        await _notary.DisposeAsync();
        await _server.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task Dct_push_signs_inspect_lists_pull_verifies_and_Dockyard_shows_the_signature()
    {
        var seed = IdentitySeed.ForDatabaseFile(Path.Combine(_server.DataDirectory, "dockyard.db"));
        var alice = await seed.UserAsync("alice", "alice-secret-1");
        var acme = await seed.OrganizationAsync("acme");
        await seed.MemberAsync(acme, alice, owner: true);
        await seed.TeamAsync(acme, "release", alice);

        var repository = $"{_server.RegistryHost}/acme/app";
        await Docker(false, "login", "-u", "alice", "-p", "alice-secret-1", _server.RegistryHost);
        await Docker(false, "tag", _image, $"{repository}:signed");
        var push = await Docker(true, "push", $"{repository}:signed");
        Assert.Contains("Successfully signed", push.StandardOutput + push.StandardError, StringComparison.Ordinal);
        var digest = Digest.Parse(DigestLine().Match(push.StandardOutput).Groups[1].Value);

        var inspect = await Docker(true, "trust", "inspect", "--pretty", repository);
        _output.WriteLine(inspect.StandardOutput);
        Assert.Matches(@"signed\s+" + digest.Hex + @"\s+\(Repo Admin\)", inspect.StandardOutput);

        // Another tag pushed without signing: DCT looks tags up in the trust data, which does not list it.
        await Docker(false, "tag", _image, $"{repository}:unsigned");
        await Docker(false, "push", $"{repository}:unsigned");
        await Docker(false, "rmi", $"{repository}:signed", $"{repository}:unsigned");

        await Docker(true, "pull", $"{repository}:signed");
        var unsignedPull = await Run(true, "pull", $"{repository}:unsigned");
        _output.WriteLine(unsignedPull.Describe());
        Assert.NotEqual(0, unsignedPull.ExitCode);
        Assert.Contains("unsigned", unsignedPull.StandardError, StringComparison.Ordinal);
        var pulled = (await Docker(false, "inspect", "--format", "{{index .RepoDigests 0}}", $"{repository}:signed")).StandardOutput.Trim();
        Assert.Equal($"{repository}@{digest}", pulled);

        // Dockyard reads the TUF targets through its own services on the same data directory.
        using var tool = DockyardApp.BuildTool(new Dictionary<string, string?>
        {
            ["Dockyard:DataDirectory"] = _server.DataDirectory,
            ["Dockyard:PublicUrl"] = _server.BaseAddress.AbsoluteUri.TrimEnd('/'),
            ["Dockyard:Trust:Notary:Url"] = _notary.Url,
            ["Dockyard:Trust:Notary:CaFile"] = _notary.CaFile,
        });
        var name = RepositoryName.Parse("acme/app");
        var trust = tool.Services.GetRequiredService<ImageTrustService>();
        var before = await trust.GetAsync(name, digest, CancellationToken.None);
        var unknown = Assert.Single(before.Signatures, s => s.Kind == SignatureKinds.Notary);
        Assert.Equal(SignatureState.Invalid, before.State);
        Assert.False(unknown.Valid);
        Assert.Contains("not registered in Dockyard", unknown.Problem, StringComparison.Ordinal);

        var rootJson = await tool.Services.GetRequiredService<NotaryMetadataClient>().GetAsync($"{_server.RegistryHost}/acme/app", "root", _server.RegistryHost, CancellationToken.None);
        var publicKeyPem = TargetsKeyPem(rootJson!);
        await tool.Services.GetRequiredService<TrustKeyService>().RegisterAsync(
            Caller.System, "acme", new TrustKeyRegistration("dct-repo", "release", publicKeyPem, false, null), CancellationToken.None);
        var after = await trust.GetAsync(name, digest, CancellationToken.None);
        Assert.Equal(SignatureState.Signed, after.State);
        var signed = Assert.Single(after.Signatures, s => s.Kind == SignatureKinds.Notary);
        Assert.True(signed.Valid, signed.Problem);
        Assert.Equal("acme/release", signed.Team);
        Assert.Equal("dct-repo", signed.KeyName);
        Assert.True(after.SignedByTeam("acme/release"));
    }

    /// <summary>The targets role's key from root.json (keytype ecdsa: base64 SPKI DER) as a PEM PUBLIC KEY.</summary>
    private static string TargetsKeyPem(byte[] rootJson)
    {
        using var root = JsonDocument.Parse(rootJson);
        var signed = root.RootElement.GetProperty("signed");
        var keyId = signed.GetProperty("roles").GetProperty("targets").GetProperty("keyids")[0].GetString()!;
        var key = signed.GetProperty("keys").GetProperty(keyId);
        Assert.Equal("ecdsa", key.GetProperty("keytype").GetString());
        var der = key.GetProperty("keyval").GetProperty("public").GetBytesFromBase64();
        return new string(System.Security.Cryptography.PemEncoding.Write("PUBLIC KEY", der));
    }

    private async Task<ProcessResult> Docker(bool contentTrust, params string[] args)
    {
        var result = await Run(contentTrust, args);
        Assert.True(result.ExitCode == 0, $"{result.Describe()}{Environment.NewLine}--- notary ---{Environment.NewLine}{_notary.Log}{Environment.NewLine}--- dockyard ---{Environment.NewLine}{_server.Output}");
        return result;
    }

    private Task<ProcessResult> Run(bool contentTrust, params string[] args)
    {
        var environment = new Dictionary<string, string?>(_cli) { ["DOCKER_CONTENT_TRUST"] = contentTrust ? "1" : null };
        return ProcessRunner.RunUncheckedAsync(ExternalTool.Docker(), args, environment, TimeSpan.FromMinutes(2));
    }

    [GeneratedRegex(@"signed: digest: (sha256:[0-9a-f]{64})")]
    private static partial Regex DigestLine();
}
