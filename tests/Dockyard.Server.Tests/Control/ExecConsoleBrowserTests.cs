using System.Net;
using System.Text.RegularExpressions;
using Dockyard.Server.Control.Exec;
using Dockyard.Server.Tests.Infrastructure;
using Dockyard.Server.Tests.Ui;
using Dockyard.Server.Ui.Terminal;
using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Control;

/// <summary>
/// The console page (<c>/containers/{ref}/console</c>, Components/ContainerConsolePanel) in headless Chromium against a
/// busybox container on the swarm's WORKER: connect, type, see the output, resize the window and see the TTY follow,
/// sign out in another tab and see the terminal end. Also the UI socket's door: a foreign Origin is refused (403),
/// no session is refused (401).
/// </summary>
[Collection(SwarmCollection.Name)]
public sealed partial class ExecConsoleBrowserTests(SwarmFixture swarm, UiBrowserFixture browser)
{
    private const string Password = "console-password!";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Console_types_resizes_refuses_foreign_origins_and_ends_on_sign_out()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var token = timeout.Token;
        await using var ui = await UiTestServer.StartAsync(browser, swarm.EngineSettings());
        await ui.Seed.UserAsync("root", Password, admin: true);
        var image = await swarm.BusyboxAsync();
        var name = "console-" + Guid.NewGuid().ToString("N")[..10];
        await swarm.Worker.RunDockerAsync("run", "-d", "--network", "none", "--name", name, image, "/bin/busybox", "sleep", "300");
        try
        {
            var page = await ui.SignInAsync("root", Password);
            var errors = new List<string>();
            page.PageError += (_, error) => errors.Add(error);
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    errors.Add(message.Text);
                }
            };

            await page.GotoAsync($"/containers/{name}/console");
            await page.GetByTestId("console-connect").ClickAsync();
            var terminal = page.GetByTestId("console-terminal");
            await Assertions.Expect(terminal).ToHaveAttributeAsync("data-terminal-state", "open");
            await page.Locator(".xterm-helper-textarea").FocusAsync();
            await page.Keyboard.TypeAsync("echo hi-$((6*7))");
            await page.Keyboard.PressAsync("Enter");
            var rows = page.Locator(".xterm-rows");
            await Assertions.Expect(rows).ToContainTextAsync("hi-42");

            var before = await TtySizeAsync(page, "wide");
            await page.SetViewportSizeAsync(700, 500);
            var after = await TtySizeAsync(page, "narrow");
            Assert.True(after.Cols < before.Cols, $"columns before the resize: {before.Cols}, after: {after.Cols}");

            // The UI socket's door, with the session cookie this browser holds.
            var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "dockyard_session");
            var socket = new Uri($"ws://{ui.BaseAddress.Authority}{ContainerTerminalEndpoints.PathOf(name)}?cmd=/bin/sh");
            var own = $"http://{ui.BaseAddress.Authority}";
            Assert.Equal(HttpStatusCode.Forbidden, await ExecSocketClient.RefusedWithAsync(socket, new Dictionary<string, string> { ["Cookie"] = $"dockyard_session={cookie.Value}", ["Origin"] = "http://evil.example" }, token));
            Assert.Equal(HttpStatusCode.Forbidden, await ExecSocketClient.RefusedWithAsync(socket, new Dictionary<string, string> { ["Cookie"] = $"dockyard_session={cookie.Value}" }, token));
            Assert.Equal(HttpStatusCode.Unauthorized, await ExecSocketClient.RefusedWithAsync(socket, new Dictionary<string, string> { ["Origin"] = own }, token));
            await using (var same = await ExecSocketClient.ConnectAsync(socket, new Dictionary<string, string> { ["Cookie"] = $"dockyard_session={cookie.Value}", ["Origin"] = own }, token))
            {
                await same.TypeAsync("echo same-$((3*3))\r", token);
                await same.WaitForAsync("same-9", token);
            }

            // Sign out in another tab of the same browser: the open terminal ends.
            var other = await page.Context.NewPageAsync();
            await other.GotoAsync("/");
            await other.GetByTestId("user-menu-button").ClickAsync(); // Sign out is in the account menu
            await other.GetByTestId("sign-out").ClickAsync();
            await UiTestServer.WaitForPathAsync(other, "/login");
            await Assertions.Expect(rows).ToContainTextAsync($"[{TerminalRelay.SessionEnded}]");
            await Assertions.Expect(terminal).ToHaveAttributeAsync("data-terminal-state", "closed");
            Assert.True(errors.Count == 0, "browser errors:\n" + string.Join("\n", errors));
        }
        finally
        {
            await swarm.Worker.RunDockerUncheckedAsync("rm", "-f", name);
        }
    }

    /// <summary>Asks the container's TTY its size (<c>stty size</c>) through the page's terminal.</summary>
    private static async Task<(int Rows, int Cols)> TtySizeAsync(IPage page, string marker)
    {
        await page.Keyboard.TypeAsync($"echo {marker}-$(/bin/busybox stty size | /bin/busybox tr ' ' x)");
        await page.Keyboard.PressAsync("Enter");
        var pattern = new Regex(Regex.Escape(marker) + @"-(\d+)x(\d+)");
        var rows = page.Locator(".xterm-rows");
        await Assertions.Expect(rows).ToContainTextAsync(pattern);
        var match = pattern.Match(await rows.InnerTextAsync());
        return (int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }
}
