using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Json;
using Dockyard.Server.Access;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Tests.Infrastructure;
using Dockyard.Server.Tests.Tokens;
using Dockyard.Server.Trust.Crypto;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Dockyard.Server.Tests.Trust.Signing;

/// <summary>
/// A real Dockyard process with authentication for the signing tests: organization <c>acme</c> (members push), team
/// <c>acme/release</c> (Rita), member Otto (no team), service account <c>acme/ci</c> with a push token on <c>acme/**</c>,
/// and keys registered straight in the database — <c>release</c> (team key, held), <c>ci</c> (organization key, held),
/// <c>outsider</c> (public part only). skopeo runs with its own registries.d (<c>use-sigstore-attachments</c>) and
/// auth file, never the machine's configuration.
/// </summary>
internal sealed class SigningServer : IAsyncDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly Dictionary<string, string?> _skopeoEnvironment;
    private readonly List<SigningPrivateKey> _keys = [];

    private SigningServer(DockyardProcess server, TempDirectory work, ITestOutputHelper output)
    {
        Server = server;
        Work = work;
        _output = output;
        var authFile = work.Combine("auth.json");
        File.WriteAllText(authFile, "{\"auths\":{}}");
        _skopeoEnvironment = new Dictionary<string, string?>
        {
            ["REGISTRY_AUTH_FILE"] = authFile,
            ["TMPDIR"] = Directory.CreateDirectory(work.Combine("tmp")).FullName,
        };
        RegistriesD = Directory.CreateDirectory(work.Combine("registries.d")).FullName;
        File.WriteAllText(Path.Combine(RegistriesD, "dockyard.yaml"), $"docker:\n  {server.RegistryHost}:\n    use-sigstore-attachments: true\n");
    }

    public DockyardProcess Server { get; }

    public TempDirectory Work { get; }

    /// <summary>A registries.d directory turning sigstore attachments on for this server.</summary>
    public string RegistriesD { get; }

    public IdentitySeed Seed { get; private set; } = null!;

    public long Acme { get; private set; }

    public string CiToken { get; private set; } = null!;

    public string RitaToken { get; private set; } = null!;

    public string OttoToken { get; private set; } = null!;

    public SigningPrivateKey ReleaseKey { get; private set; } = null!;

    public SigningPrivateKey CiKey { get; private set; } = null!;

    public SigningPrivateKey OutsiderKey { get; private set; } = null!;

    public static async Task<SigningServer> StartAsync(ITestOutputHelper output)
    {
        var work = new TempDirectory("signing-e2e");
        var server = await DockyardProcess.StartAsync(new Dictionary<string, string> { ["DOCKYARD__AUTH__ENABLED"] = "true" });
        var world = new SigningServer(server, work, output);
        await world.SeedAsync();
        return world;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var key in _keys)
        {
            key.Dispose();
        }

        await Server.DisposeAsync();
        Work.Dispose();
    }

    public DockyardDbContext Database() =>
        new SqliteDockyardDbContext(new DbContextOptionsBuilder<SqliteDockyardDbContext>().UseSqlite($"Data Source={Path.Combine(Server.DataDirectory, "dockyard.db")};Default Timeout=30").Options);

    /// <summary>Registers <paramref name="key"/> as <c>acme/<paramref name="name"/></c>, its private part held when <paramref name="held"/>.</summary>
    public async Task RegisterKeyAsync(string name, SigningPrivateKey key, long? teamId, bool held)
    {
        await using var db = Database();
        db.TrustKeys.Add(new TrustKeyEntity
        {
            OrganizationId = Acme,
            TeamId = teamId,
            Name = name,
            Algorithm = key.PublicKey.Algorithm,
            Fingerprint = key.PublicKey.Fingerprint,
            PublicKeyPem = key.PublicKey.ToPem(),
            PrivateKey = held ? Convert.ToBase64String(key.ExportPkcs8()) : null, // a clear value reads as itself (sealed at the next start)
            CreatedBy = "tests",
            CreatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
    }

    /// <summary>Pushes the linux/amd64 image of a fresh two-platform layout as <c>acme/<paramref name="repository"/>:<paramref name="tag"/></c> (as acme/ci); its digest.</summary>
    public async Task<string> PushImageAsync(string repository, string tag)
    {
        var source = TestImages.WriteTwoPlatformOciLayout(Directory.CreateDirectory(Work.Combine("layout-" + Guid.NewGuid().ToString("N")[..8])).FullName, "v1");
        await SkopeoAsync(
            "--insecure-policy", "copy", "--override-arch", "amd64", "--override-os", "linux", "--preserve-digests", "--dest-tls-verify=false",
            "--dest-creds", "ci:" + CiToken, $"oci:{source.LayoutPath}:v1", $"docker://{Server.RegistryHost}/acme/{repository}:{tag}");
        return source.ManifestDigests["linux/amd64"];
    }

    /// <summary>POST …/signatures as the holder of <paramref name="token"/>.</summary>
    public async Task<(int Status, JsonElement Body)> SignAsync(string token, string repository, string reference, string key)
    {
        using var client = Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.PostAsJsonAsync($"api/v1/repositories/{repository}/manifests/{reference}/signatures", new { key });
        var text = await response.Content.ReadAsStringAsync();
        _output.WriteLine($"POST signatures {repository}@{reference} key {key}: {(int)response.StatusCode} {text}");
        using var doc = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        return ((int)response.StatusCode, doc.RootElement.Clone());
    }

    /// <summary>The <c>.sig</c> manifest of <paramref name="digest"/> in <paramref name="repository"/>, or null when the tag does not exist.</summary>
    public async Task<JsonDocument?> SignatureManifestAsync(string repository, string digest)
    {
        var tags = await SkopeoUncheckedAsync("list-tags", "--tls-verify=false", "--creds", "ci:" + CiToken, $"docker://{Server.RegistryHost}/{repository}");
        var tag = digest.Replace(':', '-') + ".sig";
        if (tags.ExitCode != 0 && tags.StandardError.Contains("name unknown", StringComparison.OrdinalIgnoreCase))
        {
            return null; // nothing was ever pushed to the repository
        }

        Assert.True(tags.ExitCode == 0, tags.Describe());
        if (!tags.StandardOutput.Contains($"\"{tag}\"", StringComparison.Ordinal))
        {
            return null;
        }

        var raw = await SkopeoAsync("inspect", "--raw", "--tls-verify=false", "--creds", "ci:" + CiToken, $"docker://{Server.RegistryHost}/{repository}:{tag}");
        return JsonDocument.Parse(raw.StandardOutput);
    }

    /// <summary>
    /// <c>skopeo copy</c> of <paramref name="reference"/> to a dir: under a policy that rejects everything but images of
    /// <paramref name="repository"/> signed (sigstore) by <paramref name="publicKey"/> for the repository (<c>matchRepository</c>).
    /// </summary>
    public async Task<ProcessResult> VerifiedCopyAsync(string repository, string reference, SignaturePublicKey publicKey)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var keyPath = Work.Combine($"verify-{id}.pub");
        await File.WriteAllTextAsync(keyPath, publicKey.ToPem());
        var policy = Work.Combine($"policy-{id}.json");
        await File.WriteAllTextAsync(policy, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["default"] = new[] { new { type = "reject" } },
            ["transports"] = new Dictionary<string, object>
            {
                ["docker"] = new Dictionary<string, object>
                {
                    [$"{Server.RegistryHost}/{repository}"] = new[] { new Dictionary<string, object> { ["type"] = "sigstoreSigned", ["keyPath"] = keyPath, ["signedIdentity"] = new { type = "matchRepository" } } },
                },
            },
        }));
        return await SkopeoUncheckedAsync(
            "--policy", policy, "--registries.d", RegistriesD, "copy", "--src-tls-verify=false", "--src-creds", "ci:" + CiToken,
            $"docker://{Server.RegistryHost}/{repository}{reference}", "dir:" + Directory.CreateDirectory(Work.Combine("copy-" + id)).FullName);
    }

    /// <summary>
    /// Asserts what skopeo made of a <see cref="VerifiedCopyAsync"/> whose key signed the image. Debian's skopeo 1.9.3 is
    /// built with sigstore disabled ("Debian-local change: sigstore disabled"): it fetches the <c>.sig</c> attachments and
    /// then refuses each signature with that reason, so there the check is that it found exactly
    /// <paramref name="signatures"/> of them (an attachment it cannot read would be "no signature exists"). A skopeo with
    /// sigstore enabled must accept the image.
    /// </summary>
    public static void AssertSkopeoAccepts(ProcessResult copy, int signatures)
    {
        if (copy.ExitCode == 0)
        {
            return;
        }

        Assert.Contains("None of the signatures were accepted", copy.StandardError, StringComparison.Ordinal);
        Assert.Equal(signatures, Regex.Count(copy.StandardError, "Debian-local change: sigstore disabled"));
    }

    /// <summary>
    /// Verifies every signature of the <c>.sig</c> manifest of <paramref name="digest"/> independently of Dockyard's code:
    /// each payload blob read over <c>/v2</c>, its JSON read as containers/image reads it (type, digest, identity compared
    /// as <c>matchRepository</c> does: <c>host/repository</c>), its DER signature checked with a plain <see cref="ECDsa"/>.
    /// Returns the fingerprints of the <paramref name="keys"/> that signed it.
    /// </summary>
    public async Task<IReadOnlyList<string>> VerifyStoredSignaturesAsync(string repository, string digest, params SigningPrivateKey[] keys)
    {
        using var manifest = await SignatureManifestAsync(repository, digest);
        Assert.NotNull(manifest);
        using var client = await RegistryClientAsync(repository);
        var signers = new List<string>();
        foreach (var layer in manifest.RootElement.GetProperty("layers").EnumerateArray())
        {
            Assert.Equal(SimpleSigningPayload.MediaType, layer.GetProperty("mediaType").GetString());
            var payload = await client.GetByteArrayAsync($"v2/{repository}/blobs/{layer.GetProperty("digest").GetString()}");
            Assert.Equal(layer.GetProperty("digest").GetString(), TestImages.Sha256Digest(payload));
            using (var doc = JsonDocument.Parse(payload))
            {
                var critical = doc.RootElement.GetProperty("critical");
                Assert.Equal("cosign container image signature", critical.GetProperty("type").GetString());
                Assert.Equal(digest, critical.GetProperty("image").GetProperty("docker-manifest-digest").GetString());
                Assert.Equal($"{Server.RegistryHost}/{repository}", critical.GetProperty("identity").GetProperty("docker-reference").GetString());
            }

            var signature = Convert.FromBase64String(layer.GetProperty("annotations").GetProperty(SimpleSigningPayload.SignatureAnnotation).GetString()!);
            foreach (var key in keys)
            {
                using var ecdsa = ECDsa.Create();
                ecdsa.ImportSubjectPublicKeyInfo(key.PublicKey.SubjectPublicKeyInfo.Span, out _);
                if (ecdsa.VerifyData(payload, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence))
                {
                    signers.Add(key.PublicKey.Fingerprint);
                }
            }
        }

        return signers;
    }

    /// <summary>An HttpClient holding a pull token for <paramref name="repository"/> (the /v2 challenge, then /auth/token as acme/ci).</summary>
    private async Task<HttpClient> RegistryClientAsync(string repository)
    {
        var client = Server.CreateClient();
        using var challenge = await client.GetAsync($"v2/{repository}/tags/list");
        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        var header = challenge.Headers.WwwAuthenticate.Single().Parameter!;
        string Part(string name) => Regex.Match(header, name + "=\"([^\"]*)\"").Groups[1].Value;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Part("realm")}?service={Uri.EscapeDataString(Part("service"))}&scope={Uri.EscapeDataString($"repository:{repository}:pull")}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("ci:" + CiToken)));
        using var answer = await client.SendAsync(request);
        Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());
        using var token = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.RootElement.GetProperty("token").GetString());
        return client;
    }

    public async Task<ProcessResult> SkopeoAsync(params string[] args)
    {
        var result = await SkopeoUncheckedAsync(args);
        Assert.True(result.ExitCode == 0, result.Describe() + Environment.NewLine + Server.Output);
        return result;
    }

    public async Task<ProcessResult> SkopeoUncheckedAsync(params string[] args)
    {
        var result = await ProcessRunner.RunUncheckedAsync(ExternalTool.Skopeo(), args, _skopeoEnvironment, TimeSpan.FromMinutes(3));
        _output.WriteLine($"$ skopeo {string.Join(' ', args.Select(a => a.StartsWith("ci:", StringComparison.Ordinal) ? "ci:***" : a))} → {result.ExitCode}{Environment.NewLine}{result.StandardOutput.TrimEnd()}{Environment.NewLine}{result.StandardError.TrimEnd()}");
        return result;
    }

    private async Task SeedAsync()
    {
        Seed = IdentitySeed.ForDatabaseFile(Path.Combine(Server.DataDirectory, "dockyard.db"));
        Acme = await Seed.OrganizationAsync("acme", RepositoryRole.Write);
        var rita = await Seed.UserAsync("rita", "rita-password-1");
        var otto = await Seed.UserAsync("otto", "otto-password-1");
        await Seed.MemberAsync(Acme, rita);
        await Seed.MemberAsync(Acme, otto);
        var release = await Seed.TeamAsync(Acme, "release", rita);
        var ci = await Seed.ServiceAccountAsync(Acme, "ci");
        CiToken = (await Seed.Tokens.CreateForServiceAccountAsync(ci, "pipeline", [IdentitySeed.Scope("acme/**", RepositoryActions.Pull | RepositoryActions.Push)], null, CancellationToken.None)).Secret;
        RitaToken = (await Seed.Tokens.CreateForUserAsync(rita, "cli", null, null, CancellationToken.None)).Secret;
        OttoToken = (await Seed.Tokens.CreateForUserAsync(otto, "cli", null, null, CancellationToken.None)).Secret;

        ReleaseKey = Track(SigningPrivateKey.Generate());
        CiKey = Track(SigningPrivateKey.Generate());
        OutsiderKey = Track(SigningPrivateKey.Generate());
        await RegisterKeyAsync("release", ReleaseKey, release, held: true);
        await RegisterKeyAsync("ci", CiKey, null, held: true);
        await RegisterKeyAsync("outsider", OutsiderKey, null, held: false);
    }

    private SigningPrivateKey Track(SigningPrivateKey key)
    {
        _keys.Add(key);
        return key;
    }
}
