using System.Threading.Channels;
using Dockyard.Server.Control.Exec;
using Dockyard.Server.Ui.Terminal;
using Dockyard.Server.Ui;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;

namespace Dockyard.Server.Tests.Ui.Terminal;

/// <summary>
/// A minimal Kestrel app on a loopback port for the terminal: the Server assembly's embedded UI assets at
/// <c>/_ui/{name}</c> (the real <see cref="UiAssets"/>), a page hosting the terminal under the terminal's CSP at
/// <c>/terminal</c>, and <see cref="TerminalRelay"/> at <c>/terminal/ws</c> relaying to a fresh
/// <see cref="DuplexTestStream"/> per connection: the relay on its own. With a real engine connection behind it, it is
/// tested by <c>Control/ExecApiTests</c> and <c>Control/ExecConsoleBrowserTests</c>.
/// </summary>
internal sealed class TerminalTestHost : IAsyncDisposable
{
    public const string SocketPath = "/terminal/ws";

    private readonly WebApplication _app;
    private readonly Channel<DuplexTestStream> _connections = Channel.CreateUnbounded<DuplexTestStream>();
    private readonly Channel<(int Cols, int Rows)> _resizes = Channel.CreateUnbounded<(int, int)>();
    private readonly Channel<Task> _relays = Channel.CreateUnbounded<Task>();
    private readonly CancellationTokenSource _signOut = new();

    private TerminalTestHost(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public Uri SocketUri => new($"ws://{BaseAddress.Authority}{SocketPath}");

    /// <summary>Resize messages that reached the relay's callback, in order.</summary>
    public ChannelReader<(int Cols, int Rows)> Resizes => _resizes.Reader;

    /// <summary>Cancels every relay's token, as a sign-out would.</summary>
    public Task SignOutAsync() => _signOut.CancelAsync();

    public static async Task<TerminalTestHost> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var host = new TerminalTestHost(app);
        var assets = new UiAssets();
        var relay = new TerminalRelay(NullLogger<TerminalRelay>.Instance, TimeProvider.System);

        app.UseWebSockets();
        app.MapGet(UiAssets.Prefix + "{name}", (HttpContext context, string name) => assets.Serve(context, name));
        app.MapGet("/terminal", (HttpContext context) =>
        {
            context.Response.Headers.ContentSecurityPolicy = TerminalPage.ContentSecurityPolicy;
            var html = $"""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>Terminal</title>
                <link rel="icon" href="{assets.Url("favicon.svg")}" type="image/svg+xml">
                <link rel="stylesheet" href="{assets.Url(TerminalPage.Stylesheet)}">
                <script type="module" src="{assets.Url(TerminalPage.Script)}"></script>
                </head><body>
                <div id="terminal" style="width:100%;height:90vh" data-terminal-url="{SocketPath}"></div>
                </body></html>
                """;
            return Results.Content(html, "text/html; charset=utf-8");
        });
        app.Map(SocketPath, async (HttpContext context) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync(TerminalRelay.AcceptContext);
            var stream = new DuplexTestStream();
            await host._connections.Writer.WriteAsync(stream);
            var run = relay.RunAsync(
                socket,
                stream,
                async (cols, rows, cancellationToken) => await host._resizes.Writer.WriteAsync((cols, rows), cancellationToken),
                host._signOut.Token);
            await host._relays.Writer.WriteAsync(run);
            await run;
        });

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        host.BaseAddress = new Uri(address);
        return host;
    }

    /// <summary>The stream behind the next accepted socket.</summary>
    public async Task<DuplexTestStream> NextConnectionAsync(CancellationToken cancellationToken) =>
        await _connections.Reader.ReadAsync(cancellationToken);

    /// <summary>The relay task of the next accepted socket; it completes when the relay returned.</summary>
    public async Task<Task> NextRelayAsync(CancellationToken cancellationToken) => await _relays.Reader.ReadAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _signOut.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _signOut.Dispose();
    }
}
