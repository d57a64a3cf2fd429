using System.Net;
using Dockyard.Server.Tests.Hosting;

namespace Dockyard.Server.Tests.Ui;

/// <summary>
/// Unknown URLs outside <c>/v2</c>, <c>/api</c> and <c>/auth</c> get the styled not-found page (404, the whole layout),
/// never an empty 404 the browser replaces with its own error page; <c>/v2</c> keeps its OCI error JSON and
/// <c>/api/v1</c> its ProblemDetails. Raw requests: what the server answers, byte for byte.
/// </summary>
public sealed class UiNotFoundTests : IAsyncLifetime
{
    private InProcessDockyard _server = null!;

    public async Task InitializeAsync() =>
        _server = await InProcessDockyard.StartAsync(settings: new Dictionary<string, string?> { ["Dockyard:Auth:Enabled"] = "true" });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("/this/does/not/exist")]
    [InlineData("/repositories/acme/app/-/nonsense")]
    [InlineData("/repositories/x/-/nonsense")]
    [InlineData("/nothing")]
    [InlineData("/metricsfoo/bar")]
    [InlineData("/orgs/acme/nonsense/deeper")]
    public async Task UnknownUiUrl_AnswersTheStyledNotFoundPage(string path)
    {
        var response = await RawHttp.SendAsync(_server.BaseAddress, "GET", path);

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Contains("<html", response.Body, StringComparison.Ordinal);
        Assert.Contains("id=\"main\"", response.Body, StringComparison.Ordinal); // the layout, not just the message
        Assert.Contains("Not found", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRegistryAndApiUrls_KeepTheirOwnErrorBodies()
    {
        var registry = await RawHttp.SendAsync(_server.BaseAddress, "GET", "/v2/acme/app/nonsense/x");
        Assert.Equal(HttpStatusCode.NotFound, registry.Status);
        Assert.Contains("\"errors\"", registry.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("<html", registry.Body, StringComparison.Ordinal);

        var api = await RawHttp.SendAsync(_server.BaseAddress, "GET", "/api/v1/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, api.Status);
        Assert.Contains("No such API resource: GET /api/v1/no-such-thing.", api.Body, StringComparison.Ordinal);
        Assert.Contains("\"status\":404", api.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("<html", api.Body, StringComparison.Ordinal);

        var auth = await RawHttp.SendAsync(_server.BaseAddress, "GET", "/auth/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, auth.Status);
        Assert.DoesNotContain("<html", auth.Body, StringComparison.Ordinal);
    }
}
