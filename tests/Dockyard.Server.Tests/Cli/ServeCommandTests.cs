using System.Diagnostics;
using System.Text;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Cli;

/// <summary>`dockyard serve` as a real process: how it ends.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public async Task Sigterm_StopsGracefully_WithExitCode0AndNoUnhandledException()
    {
        await using var server = await DockyardProcess.StartAsync();

        var exitCode = await server.StopAsync(TimeSpan.FromSeconds(60));

        Assert.False(server.Output.Contains("Unhandled exception", StringComparison.Ordinal), server.Output);
        Assert.Equal(0, exitCode);
        Assert.Contains("Application is shutting down", server.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// systemd stopping a unit that is still starting (or Ctrl+C during a slow first start): the signal arrives while
    /// the hosted services start. It used to cancel the start ("Hosting failed to start", TaskCanceledException, exit 1).
    /// </summary>
    /// <remarks>SIGTERM only: SIGINT goes the same way, but a test run started in the background inherits it ignored.</remarks>
    [Fact]
    public async Task Sigterm_DuringStartUp_StopsGracefully_WithExitCode0AndNoException()
    {
        using var root = new TempDirectory("serve-early-stop");
        var output = new StringBuilder();
        var startInfo = new ProcessStartInfo(DockyardProcess.DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var arg in DockyardProcess.HostArguments().Concat(["serve", "--urls", $"http://127.0.0.1:{LoopbackPorts.Free()}", "--data", root.Combine("data")]))
        {
            startInfo.ArgumentList.Add(arg);
        }

        // Authentication off: its warning is logged by a hosted service while the start is under way, the moment to signal.
        startInfo.Environment["DOCKYARD__AUTH__ENABLED"] = "false";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        using var starting = new SemaphoreSlim(0);
        using var process = new Process { StartInfo = startInfo };
        DataReceivedEventHandler collect = (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data?.Contains("AUTHENTICATION IS DISABLED", StringComparison.Ordinal) == true)
            {
                starting.Release();
            }
        };
        process.OutputDataReceived += collect;
        process.ErrorDataReceived += collect;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            Assert.True(await starting.WaitAsync(TimeSpan.FromSeconds(90)), "no start-up warning seen");
            Assert.True(await UnixProcess.SignalAsync(process.Id, UnixProcess.SigTerm));

            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(exit.Token);
            string text;
            lock (output)
            {
                text = output.ToString();
            }

            // The lines naming the exception first: CI keeps only the first line of a failure message.
            var exceptionLines = text.Split('\n').Where(line => line.Contains("Exception", StringComparison.Ordinal)).ToList();
            Assert.True(exceptionLines.Count == 0, string.Join(" | ", exceptionLines) + "\n" + text);
            Assert.Equal(0, process.ExitCode);
            Assert.Contains("Application is shutting down", text, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }
}
