using System.Net;
using System.Text.Json;
using Dockyard.Server.Trust.Crypto;
using Dockyard.Server.Trust.Keys;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Policies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Dockyard.Server.Tests.Trust.Signatures;

/// <summary>
/// A key's expiry changes no key-set version, so a verdict cached while the key was valid must not outlive the expiry:
/// the signature stops counting at the expiry, not when the cache entry happens to age out.
/// </summary>
public sealed class SignatureKeyExpiryTests
{
    [Fact]
    public async Task Signatures_KeyExpiresAfterTheVerdictWasCached_InvalidAtTheExpiry()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await InProcessDockyard.StartAsync(
            configure: builder => builder.Services.AddSingleton<TimeProvider>(time),
            settings: new Dictionary<string, string?> { ["Dockyard:Trust:Signatures:CacheTtl"] = "01:00:00" });
        using var http = server.CreateClient();
        var client = new RegistryTestClient(http);
        var (_, org) = await PolicySeed.OrganizationAsync(server, "exp");
        var repository = $"{org}/app";
        var digest = await SignatureTestData.PushPublicImageAsync(server, client, repository, "v1");
        using var key = SigningPrivateKey.Generate();
        await server.GetRequiredService<Dockyard.Server.Accounts.TeamService>().CreateAsync(Dockyard.Server.Audit.Caller.System, org, "release", null, CancellationToken.None);
        await server.GetRequiredService<TrustKeyService>().RegisterAsync(
            Dockyard.Server.Audit.Caller.System, org, new TrustKeyRegistration("ci", "release", key.PublicKey.ToPem(), false, time.GetUtcNow().AddMinutes(10)), CancellationToken.None);
        await SignatureTestData.PushSignatureManifestAsync(
            client, repository, SignatureTestData.SignatureTag(digest), [SignatureTestData.Sign(key, SignatureTestData.Payload(repository, digest))]);

        Assert.Equal("signed", (await GetSignaturesAsync(http, repository, digest)).GetProperty("state").GetString());

        // Past the expiry but well inside the verdict cache's lifetime (30 s by default): 11 minutes here would also age
        // the entry out, so the cache is told to keep entries for an hour.
        time.Advance(TimeSpan.FromMinutes(11));
        var expired = await GetSignaturesAsync(http, repository, digest);
        Assert.Equal("invalid", expired.GetProperty("state").GetString());
        Assert.Equal($"key {org}/ci expired", Assert.Single(expired.GetProperty("signatures").EnumerateArray()).GetProperty("problem").GetString());
    }

    private static async Task<JsonElement> GetSignaturesAsync(HttpClient http, string repository, string digest)
    {
        using var response = await http.GetAsync($"/api/v1/repositories/{repository}/manifests/{digest}/signatures");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
