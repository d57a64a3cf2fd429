using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dockyard.Server.Observability;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Hosting;

/// <summary>`dockyard serve` as a real process: the console log format it is configured with, and the access log.</summary>
public sealed class ServeLoggingTests
{
    private const string Password = "access-log-Secret-42";

    [Fact]
    public async Task JsonFormatterAndAccessLog_WriteJsonLines_WithTheRequestsFields_AndNoCredentials()
    {
        await using var server = await DockyardProcess.StartAsync(new Dictionary<string, string>
        {
            ["DOCKYARD__AUTH__ENABLED"] = "true",
            ["DOCKYARD_ADMIN_PASSWORD"] = Password,
            ["LOGGING__CONSOLE__FORMATTERNAME"] = "json",
            ["Dockyard__AccessLog__Enabled"] = "true",
        });
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/me?hint=query-must-not-be-logged");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{Password}")));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var access = await WaitForLineAsync(server, "Dockyard.Access", "/api/v1/me");
        var state = access.GetProperty("State");
        Assert.Equal("GET", state.GetProperty("Method").GetString());
        Assert.Equal("/api/v1/me", state.GetProperty("Route").GetString());
        Assert.Equal(200, state.GetProperty("Status").GetInt32());
        Assert.True(state.GetProperty("DurationMs").GetDouble() >= 0);
        Assert.Equal("admin", state.GetProperty("Principal").GetString());
        Assert.Equal("User", state.GetProperty("PrincipalKind").GetString());
        Assert.False(string.IsNullOrEmpty(state.GetProperty("RequestId").GetString()));
        Assert.True(state.TryGetProperty("BytesOut", out _));

        // The listening line names the build; nothing anywhere repeats the credentials or the query string.
        var listening = await WaitForLineAsync(server, "dockyard", "listening on");
        Assert.Equal(BuildInfo.Current.Version, listening.GetProperty("State").GetProperty("Version").GetString());
        Assert.Equal(BuildInfo.Current.ShortCommit, listening.GetProperty("State").GetProperty("Commit").GetString());
        var output = server.Output;
        Assert.DoesNotContain(Password, output, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{Password}")), output, StringComparison.Ordinal);
        Assert.DoesNotContain("query-must-not-be-logged", output, StringComparison.Ordinal);
    }

    /// <summary>Waits for a JSON log line of <paramref name="category"/> whose message contains <paramref name="text"/>; every line must parse.</summary>
    private static async Task<JsonElement> WaitForLineAsync(DockyardProcess server, string category, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            foreach (var line in server.Output.Split('\n'))
            {
                var json = line.TrimEnd('\r');
                var start = json.IndexOf("] {", StringComparison.Ordinal);
                if (!json.StartsWith("[dockyard #", StringComparison.Ordinal) || start < 0)
                {
                    continue;
                }

                using var document = JsonDocument.Parse(json[(start + 2)..]);
                var root = document.RootElement;
                if (root.GetProperty("Category").GetString() == category && root.GetProperty("Message").GetString()!.Contains(text, StringComparison.Ordinal))
                {
                    return root.Clone();
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"no {category} line with '{text}':{Environment.NewLine}{server.Output}");
            await Task.Delay(100);
        }
    }
}
