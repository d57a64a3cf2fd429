using Dockyard.Server.Webhooks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Tests.Webhooks;

/// <summary>
/// The delivery client itself refuses denied addresses, whatever the stored URL says (e.g. a webhook saved before the
/// destination policy existed): System.Uri's normalization of each spelling and the connect callback together.
/// </summary>
public sealed class WebhookSenderDestinationTests : IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public Task DisposeAsync() => _receiver.DisposeAsync().AsTask();

    [Theory]
    [InlineData("http://127.0.0.1:{0}/hook")]
    [InlineData("http://2130706433:{0}/hook")]
    [InlineData("http://0x7f.0.0.1:{0}/hook")]
    [InlineData("http://0177.0.0.1:{0}/hook")]
    [InlineData("http://127.1:{0}/hook")]
    [InlineData("http://[::ffff:127.0.0.1]:{0}/hook")]
    [InlineData("http://localhost:{0}/hook")]
    public async Task Send_LoopbackInAnySpelling_RefusedWithoutConnecting(string template)
    {
        using var sender = Sender(new WebhookOptions());

        var result = await sender.SendAsync(Url(template), "a-secret-of-16-chars", "ping", "d1", "{}", CancellationToken.None);

        Assert.Null(result.StatusCode);
        Assert.Equal(WebhookSender.DestinationNotAllowed, result.Error);
        Assert.Empty(_receiver.Received);
    }

    [Fact]
    public async Task Send_LoopbackAllowListed_Delivers()
    {
        using var sender = Sender(new WebhookOptions { AllowedNetworks = ["127.0.0.0/8"] });

        var result = await sender.SendAsync(Url("http://0x7f.0.0.1:{0}/hook"), "a-secret-of-16-chars", "ping", "d1", "{}", CancellationToken.None);

        Assert.Equal(200, result.StatusCode);
        Assert.Single(_receiver.Received);
    }

    private string Url(string template) => string.Format(System.Globalization.CultureInfo.InvariantCulture, template, _receiver.Url.Port);

    private static WebhookSender Sender(WebhookOptions options)
    {
        var wrapped = Options.Create(options);
        return new WebhookSender(TimeProvider.System, wrapped, new WebhookConnector(new WebhookDestinationPolicy(wrapped)), NullLogger<WebhookSender>.Instance);
    }
}
