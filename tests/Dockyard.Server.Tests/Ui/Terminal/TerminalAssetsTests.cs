using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Ui;
using Dockyard.Server.Ui.Terminal;

namespace Dockyard.Server.Tests.Ui.Terminal;

/// <summary>The terminal bundle built at compile time is embedded in the binary and served like the other UI assets.</summary>
public sealed class TerminalAssetsTests
{
    [Theory]
    [InlineData(TerminalPage.Script, "text/javascript; charset=utf-8", ".write(new Uint8Array(")] // terminal.js, minified
    [InlineData(TerminalPage.Stylesheet, "text/css; charset=utf-8", ".xterm-helper-textarea")]
    public async Task Bundle_IsServedFromTheBinaryWithImmutableCaching(string name, string contentType, string expected)
    {
        await using var server = await InProcessDockyard.StartAsync();
        using var client = server.CreateClient();
        var url = server.GetRequiredService<UiAssets>().Url(name);

        using var response = await client.GetAsync(url);

        response.EnsureSuccessStatusCode();
        Assert.Matches(@"\?v=[0-9a-f]{16}$", url);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.ToString());
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
