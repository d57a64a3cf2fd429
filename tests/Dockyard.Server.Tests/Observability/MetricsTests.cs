using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Dockyard.Registry.Maintenance;
using Dockyard.Registry.Storage;
using Dockyard.Registry.Storage.Filesystem;
using Dockyard.Server.Accounts;
using Dockyard.Server.Audit;
using Dockyard.Server.Jobs;
using Dockyard.Server.Observability;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Server.Tests.Observability;

/// <summary>
/// What <c>/metrics</c> exports beyond <c>/v2</c>: <c>/auth/token</c> and <c>/api/v1</c> requests by route template
/// (never the raw path), process and runtime collectors, the build, the data volume's free and total bytes and
/// garbage-collection failures; and who may read it (<c>Dockyard:Metrics:Access</c>).
/// </summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_TokenAndApiRequests_CountedByRouteTemplateWithProcessBuildAndVolume()
    {
        await using var api = await ApiTestServer.StartAsync();
        var admin = await api.AdminAsync();
        var anonymous = api.Anonymous();
        var unique = "engine-" + Guid.NewGuid().ToString("N");
        using (var engine = await admin.GetAsync($"/api/v1/engines/{unique}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, engine.StatusCode);
        }

        using (var token = await anonymous.GetAsync("/auth/token?service=dockyard"))
        {
            Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        }

        using (var unmatched = await admin.GetAsync($"/api/v1/{unique}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, unmatched.StatusCode);
        }

        var text = await admin.GetStringAsync("/metrics");

        Assert.Matches(Line("dockyard_http_requests_total", ("route", "/api/v1/engines/{name}"), ("method", "GET"), ("status", "404")), text);
        Assert.Matches(Line("dockyard_http_requests_total", ("route", "/auth/token"), ("method", "GET"), ("status", "200")), text);
        Assert.Matches(Line("dockyard_http_requests_total", ("route", "unmatched"), ("method", "GET"), ("status", "404")), text);
        Assert.Matches(Line("dockyard_http_request_duration_seconds_count", ("route", "/auth/token"), ("method", "GET"), ("status", "200")), text);
        Assert.DoesNotContain(unique, text, StringComparison.Ordinal);

        Assert.Matches(new Regex("^process_cpu_seconds_total [0-9]", RegexOptions.Multiline), text);
        Assert.Matches(new Regex("^process_working_set_bytes [1-9]", RegexOptions.Multiline), text);
        Assert.Matches(new Regex("^dotnet_total_memory_bytes [1-9]", RegexOptions.Multiline), text);
        Assert.Matches(Line("dockyard_build_info", ("version", BuildInfo.Current.Version), ("commit", BuildInfo.Current.Commit)), text);

        var drive = new DriveInfo(api.Server.DataDirectory);
        var free = Value(text, "dockyard_data_volume_free_bytes");
        var total = Value(text, "dockyard_data_volume_total_bytes");
        Assert.Equal(drive.TotalSize, total);
        Assert.InRange(free, 1, total);
        Assert.InRange(free, drive.AvailableFreeSpace - (512L * 1024 * 1024), drive.AvailableFreeSpace + (512L * 1024 * 1024));
    }

    [Fact]
    public async Task Metrics_GarbageCollectionFails_CountedAsFailure()
    {
        var storage = Directory.CreateTempSubdirectory("dockyard-gc-failing-");
        try
        {
            var driver = new FailingDeleteStorageDriver(new FilesystemStorageDriver(storage.FullName));
            await using var server = await InProcessDockyard.StartAsync(configure: b => b.Services.AddSingleton<IStorageDriver>(driver));
            using var http = server.CreateClient();
            await new RegistryTestClient(http).PushBlobAsync(RegistryTestClient.UniqueRepository("gc-fails"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(1000));
            Assert.Matches(new Regex("^dockyard_gc_failures_total 0$", RegexOptions.Multiline), await http.GetStringAsync("/metrics"));

            driver.Failing = true;
            await Assert.ThrowsAnyAsync<Exception>(() => server.GetRequiredService<GarbageCollectionRunner>()
                .RunAsync(new GarbageCollectionRequest { Grace = TimeSpan.Zero }, Caller.System, CancellationToken.None));

            Assert.Matches(new Regex("^dockyard_gc_failures_total 1$", RegexOptions.Multiline), await http.GetStringAsync("/metrics"));
        }
        finally
        {
            storage.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Metrics_AccessAuthenticated_AnonymousGets401UserGets403AdministratorGets200()
    {
        await using var api = await ApiTestServer.StartAsync(new Dictionary<string, string?> { ["Dockyard:Metrics:Access"] = "Authenticated" });
        var (_, user) = await api.UserAsync("metrics-reader");

        using var anonymous = await api.Anonymous().GetAsync("/metrics");
        using var forbidden = await user.GetAsync("/metrics");
        using var basicAdmin = await api.WithBasic(AdminBootstrapper.AdminUsername, ApiTestServer.AdminPassword).GetAsync("/metrics");
        using var bearerAdmin = await (await api.AdminAsync()).GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("Basic", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal("text/plain", anonymous.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("text/plain", forbidden.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, basicAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bearerAdmin.StatusCode);
        Assert.Contains("dockyard_build_info", await bearerAdmin.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_AccessAnyoneOrDefault_AnonymousLoopbackGets200()
    {
        await using var anyone = await ApiTestServer.StartAsync(new Dictionary<string, string?> { ["Dockyard:Metrics:Access"] = "Anyone" });
        await using var loopback = await ApiTestServer.StartAsync();

        // Authentication is on: with Anyone an anonymous scraper is let in; by default (Loopback) one on 127.0.0.1 is.
        var viaAnyone = await RawHttp.SendAsync(anyone.Server.BaseAddress, "GET", "/metrics");
        var viaDefault = await RawHttp.SendAsync(loopback.Server.BaseAddress, "GET", "/metrics");

        Assert.Equal(HttpStatusCode.OK, viaAnyone.Status);
        Assert.Contains("dockyard_build_info", viaAnyone.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, viaDefault.Status);
    }

    private static Regex Line(string name, params (string Label, string Value)[] labels) =>
        new(
            // Route templates hold braces, so a label value may contain '}': look within the line, not up to a brace.
            "^" + Regex.Escape(name) + "\\{" + string.Concat(labels.Select(l => $"(?=[^\\n]*{l.Label}=\"{Regex.Escape(l.Value)}\")")) + "[^\\n]*\\} [1-9]",
            RegexOptions.Multiline);

    private static long Value(string text, string name)
    {
        var match = Regex.Match(text, "^" + Regex.Escape(name) + " ([0-9.e+]+)$", RegexOptions.Multiline);
        Assert.True(match.Success, $"{name} missing");
        return (long)double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
