using System.Net;
using System.Text;
using System.Text.Json;
using Dockyard.Control.Engines;
using Dockyard.Control.Images;
using Dockyard.Control.Tests.Infrastructure;

namespace Dockyard.Control.Tests.Images;

public sealed class ImagePullTests
{
    [Fact]
    public void RegistryAuth_IsBase64UrlJsonWithTheEnginesNames()
    {
        // '?>' and '~~~' give '+' and '/' in standard base64: the header must use the URL alphabet.
        var value = RegistryAuthHeader.Encode(new RegistryCredentials("al?>ce", "p~~~w", "127.0.0.1:5000"));

        Assert.DoesNotContain('+', value);
        Assert.DoesNotContain('/', value);
        var json = Encoding.UTF8.GetString(Convert.FromBase64String(value.Replace('-', '+').Replace('_', '/')));
        using var document = JsonDocument.Parse(json);
        Assert.Equal("al?>ce", document.RootElement.GetProperty("username").GetString());
        Assert.Equal("p~~~w", document.RootElement.GetProperty("password").GetString());
        Assert.Equal("127.0.0.1:5000", document.RootElement.GetProperty("serveraddress").GetString());
    }

    [Fact]
    public void Credentials_ToStringHidesThePassword()
    {
        Assert.DoesNotContain("hunter2", new RegistryCredentials("bob", "hunter2", "r.example").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_YieldsProgressInOrderAndSendsAuthHeader()
    {
        const string Stream = "{\"status\":\"Pulling from team/app\",\"id\":\"1.0\"}\r\n" +
                              "{\"status\":\"Downloading\",\"id\":\"l1\",\"progressDetail\":{\"current\":5,\"total\":10}}\r\n\r\n" +
                              "{\"status\":\"Status: Downloaded newer image for 127.0.0.1:5000/team/app:1.0\"}\r\n";
        var (client, engine) = ScriptedEngine.Create(_ => (HttpStatusCode.OK, Stream));
        using var owned = client;
        var seen = new List<ImagePullProgress>();

        await new ImageClient(client).PullAsync("127.0.0.1:5000/team/app", "1.0", new RegistryCredentials("u", "p", "127.0.0.1:5000"), seen.Add, CancellationToken.None);

        Assert.Equal(["Pulling from team/app", "Downloading", "Status: Downloaded newer image for 127.0.0.1:5000/team/app:1.0"], seen.Select(p => p.Status));
        Assert.Equal((5L, 10L), (seen[1].ProgressDetail!.Current, seen[1].ProgressDetail!.Total));
        var request = engine.Requests[0];
        Assert.Equal("/v1.41/images/create?fromImage=127.0.0.1%3A5000%2Fteam%2Fapp&tag=1.0", request.PathAndQuery);
        Assert.Equal(RegistryAuthHeader.Encode(new RegistryCredentials("u", "p", "127.0.0.1:5000")), request.Headers[RegistryAuthHeader.Name]);
    }

    [Theory]
    [InlineData("{\"errorDetail\":{\"message\":\"manifest for x:1 not found\"},\"error\":\"manifest for x:1 not found\"}", "manifest for x:1 not found")]
    [InlineData("{\"error\":\"unauthorized: authentication required\"}", "unauthorized: authentication required")]
    [InlineData("{\"errorDetail\":{}}", "pull failed (the engine gave no message)")]
    public async Task Pull_ErrorInsideA200Stream_Throws(string errorLine, string message)
    {
        var (client, _) = ScriptedEngine.Create(_ => (HttpStatusCode.OK, "{\"status\":\"Pulling from x\"}\r\n" + errorLine + "\r\n{\"status\":\"never seen\"}\r\n"));
        using var owned = client;
        var seen = new List<ImagePullProgress>();

        var ex = await Assert.ThrowsAsync<EngineApiException>(() =>
            new ImageClient(client).PullAsync("x", "1", null, seen.Add, CancellationToken.None));

        Assert.Equal((EngineErrorKind.Failed, 200, message), (ex.Kind, ex.Status, ex.EngineMessage));
        Assert.Equal("Pulling from x", Assert.Single(seen).Status);
    }

    [Fact]
    public async Task Pull_ErrorStatusBeforeTheStream_ThrowsWithTheEngineMessage()
    {
        var (client, engine) = ScriptedEngine.Create(_ => (HttpStatusCode.NotFound, """{"message":"pull access denied for x"}"""));
        using var owned = client;

        var ex = await Assert.ThrowsAsync<EngineApiException>(() => new ImageClient(client).PullAsync("x", "1", null, null, CancellationToken.None));

        Assert.Equal((EngineErrorKind.NotFound, "pull access denied for x"), (ex.Kind, ex.EngineMessage));
        Assert.False(engine.Requests[0].Headers.ContainsKey(RegistryAuthHeader.Name));
    }

    [Fact]
    public async Task Pull_GarbageLine_ThrowsFailed()
    {
        var (client, _) = ScriptedEngine.Create(_ => (HttpStatusCode.OK, "not json\r\n"));
        using var owned = client;

        var ex = await Assert.ThrowsAsync<EngineApiException>(() => new ImageClient(client).PullAsync("x", "1", null, null, CancellationToken.None));

        Assert.Equal(EngineErrorKind.Failed, ex.Kind);
    }

    [Fact]
    public void Pull_RequiresATag()
    {
        Assert.ThrowsAny<ArgumentException>(() => ImageClient.PullRequest("x", "", null));
    }
}
