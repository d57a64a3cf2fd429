using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Dockyard.Server.Audit;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Dockyard.Server.Tests.Audit;

/// <summary>
/// Refused credentials that no login records are on the record (<c>auth.credential.rejected</c>), aggregated per
/// (address, kind): a forged registry token on <c>/v2</c> is one entry; a flood of them within a minute is that entry
/// plus, once the minute has passed, one more with the count of the rest.
/// </summary>
public sealed class RejectedCredentialAuditTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private InProcessDockyard _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await InProcessDockyard.StartAsync(
            configure: b => b.Services.AddSingleton<TimeProvider>(_time),
            settings: new Dictionary<string, string?> { ["Dockyard:Auth:Enabled"] = "true" });
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ForgedRegistryToken_OnV2_IsOneDeniedEntry()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync("/v2/", "Bearer", ForgedJwt()));

        var entry = Assert.Single(await RejectedAsync());
        Assert.Equal(AuditOutcomes.Denied, entry.Outcome);
        Assert.Equal("anonymous", entry.ActorKind);
        Assert.NotNull(entry.SourceIp);
        Assert.NotNull(entry.Reason);
        Assert.Contains("\"kind\":\"registry_token\"", entry.Details, StringComparison.Ordinal);
        Assert.Contains("\"count\":1", entry.Details, StringComparison.Ordinal);
        Assert.DoesNotContain(ForgedJwt(), entry.Details + entry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FiftyForgedRegistryTokens_WithinAMinute_AreOneEntryThenOneWithTheCount()
    {
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync("/v2/library/app/manifests/latest", "Bearer", ForgedJwt(i)));
        }

        var first = Assert.Single(await RejectedAsync());
        Assert.Contains("\"count\":1", first.Details, StringComparison.Ordinal);

        _time.Advance(RejectedCredentialAudit.Window);
        await _server.GetRequiredService<RejectedCredentialAudit>().FlushAsync(CancellationToken.None);

        var entries = await RejectedAsync();
        Assert.Equal(2, entries.Count);
        Assert.Contains("\"count\":49", entries[1].Details, StringComparison.Ordinal);
        Assert.Contains("49 more rejected registry_token credentials", entries[1].Reason, StringComparison.Ordinal);
        Assert.Equal(first.SourceIp, entries[1].SourceIp);

        // The next refusal opens a new window: recorded at once again.
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync("/v2/", "Bearer", ForgedJwt()));
        Assert.Equal(3, (await RejectedAsync()).Count);
    }

    [Fact]
    public async Task CountsStillPending_WhenTheServerStopsWithinTheWindow_AreRecorded()
    {
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync("/v2/", "Bearer", ForgedJwt(i)));
        }

        Assert.Single(await RejectedAsync());

        // The fake clock has not moved: the window is still open when the server stops.
        await _server.RestartAsync();

        var entries = await RejectedAsync();
        Assert.Equal(2, entries.Count);
        Assert.Contains("\"count\":4", entries[1].Details, StringComparison.Ordinal);
        Assert.Contains("4 more rejected registry_token credentials", entries[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RejectedAccessTokensAndUnreadableHeaders_OnTheApi_AreRecordedPerKind()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync("/api/v1/me", "Bearer", "dy_notavalidtoken"));
            Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync("/api/v1/me", "Digest", "whatever"));
        }

        var entries = await RejectedAsync();
        Assert.Equal(2, entries.Count);
        Assert.Contains(entries, e => e.Details!.Contains("\"kind\":\"access_token\"", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Details!.Contains("\"kind\":\"malformed_header\"", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => (e.Details + e.Reason).Contains("dy_notavalidtoken", StringComparison.Ordinal));
    }

    /// <summary>A well-formed JWT whose signature no key of this server made.</summary>
    private static string ForgedJwt(int n = 0)
    {
        static string Segment(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{Segment("""{"alg":"RS256","typ":"JWT","kid":"forged"}""")}.{Segment($$"""{"sub":"admin","iss":"dockyard","aud":"dockyard","exp":4102444800,"jti":"{{n}}"}""")}.{Segment("not-a-signature")}";
    }

    private async Task<HttpStatusCode> SendAsync(string path, string scheme, string parameter)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue(scheme, parameter);
        using var response = await _client.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<List<AuditEntryEntity>> RejectedAsync() =>
        [.. (await AuditTestServer.EntriesAfterAsync(_server.Services, 0)).Where(e => e.Action == AuditActions.CredentialRejected)];
}
