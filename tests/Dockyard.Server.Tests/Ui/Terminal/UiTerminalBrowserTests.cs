using System.Text;
using Dockyard.Server.Control.Exec;
using Microsoft.Playwright;

namespace Dockyard.Server.Tests.Ui.Terminal;

/// <summary>
/// The bundled terminal (terminal.js with xterm.js, served from the Server assembly's embedded assets under the
/// terminal's CSP) in headless Chromium, against <see cref="TerminalRelay"/> and a tiny fake shell.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class UiTerminalBrowserTests(UiBrowserFixture browser)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Terminal_TypeCommandResizeAndExit_RoundTripsThroughTheRelay()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var token = timeout.Token;
        await using var host = await TerminalTestHost.StartAsync();
        var context = await browser.NewContextAsync(host.BaseAddress);
        try
        {
            var page = await context.NewPageAsync();
            var errors = new List<string>();
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    errors.Add(message.Text);
                }
            };
            page.PageError += (_, error) => errors.Add(error);

            await page.GotoAsync("/terminal");
            var stream = await host.NextConnectionAsync(token);
            var shell = FakeShellAsync(stream, token);

            // The first fit after connecting reports the size; a narrower window reports a smaller one.
            var (cols, rows) = await host.Resizes.ReadAsync(token);
            Assert.InRange(cols, 40, TerminalControlMessage.MaxDimension);
            Assert.InRange(rows, 5, TerminalControlMessage.MaxDimension);

            await Assertions.Expect(page.Locator(".xterm-rows")).ToContainTextAsync("$");
            await page.Locator(".xterm-helper-textarea").FocusAsync();
            await page.Keyboard.TypeAsync("greet");
            await page.Keyboard.PressAsync("Enter");
            // The answer was written in chunks cut inside "ü" and "🐳": xterm.js must join them.
            await Assertions.Expect(page.Locator(".xterm-rows")).ToContainTextAsync("grüße aus dem 🐳");

            await page.SetViewportSizeAsync(640, 400);
            var narrower = await host.Resizes.ReadAsync(token);
            Assert.True(narrower.Cols < cols, $"after the resize: {narrower.Cols} columns, before: {cols}");

            await page.Keyboard.TypeAsync("exit");
            await page.Keyboard.PressAsync("Enter");
            await shell.WaitAsync(token);
            await Assertions.Expect(page.Locator(".xterm-rows")).ToContainTextAsync($"[{TerminalRelay.ProcessExited}]");
            await Assertions.Expect(page.Locator("#terminal")).ToHaveAttributeAsync("data-terminal-state", "closed");
            Assert.True(errors.Count == 0, "browser errors:\n" + string.Join("\n", errors));
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    /// <summary>
    /// Echoes keystrokes; on Enter answers "greet" (in chunks cut inside multibyte characters) and ends the output on
    /// "exit", as an exec'd shell would.
    /// </summary>
    private static async Task FakeShellAsync(DuplexTestStream stream, CancellationToken cancellationToken)
    {
        await stream.WriteOutputAsync(Encoding.UTF8.GetBytes("$ "));
        var line = new StringBuilder();
        while (true)
        {
            var key = (await stream.ReadInputAsync(1, cancellationToken))[0];
            if (key != '\r')
            {
                line.Append((char)key);
                await stream.WriteOutputAsync([key]);
                continue;
            }

            await stream.WriteOutputAsync(Encoding.UTF8.GetBytes("\r\n"));
            switch (line.ToString())
            {
                case "greet":
                    var answer = Encoding.UTF8.GetBytes("grüße aus dem 🐳\r\n");
                    await stream.WriteOutputAsync(answer[..3]);
                    await stream.WriteOutputAsync(answer[3..18]);
                    await stream.WriteOutputAsync(answer[18..]);
                    break;
                case "exit":
                    await stream.EndOutputAsync();
                    return;
            }

            line.Clear();
            await stream.WriteOutputAsync(Encoding.UTF8.GetBytes("$ "));
        }
    }
}
