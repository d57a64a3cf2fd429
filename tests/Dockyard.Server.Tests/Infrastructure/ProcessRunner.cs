using System.Diagnostics;
using System.Text;

namespace Dockyard.Server.Tests.Infrastructure;

/// <summary>Runs a command to completion with a bounded wait, capturing its output.</summary>
public static class ProcessRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Runs <paramref name="fileName"/> and throws <see cref="ProcessFailedException"/> on a non-zero exit or timeout.</summary>
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null,
        string? workingDirectory = null,
        CancellationToken cancellationToken = default)
    {
        var result = await RunUncheckedAsync(fileName, arguments, environment, timeout, workingDirectory, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new ProcessFailedException(result.Describe(), result);
        }

        return result;
    }

    /// <summary>Runs <paramref name="fileName"/> and returns whatever exit code it had; throws only on timeout or start failure.</summary>
    public static async Task<ProcessResult> RunUncheckedAsync(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null,
        string? workingDirectory = null,
        CancellationToken cancellationToken = default)
    {
        var args = arguments.ToList();
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                if (value is null)
                {
                    startInfo.Environment.Remove(key);
                }
                else
                {
                    startInfo.Environment[key] = value;
                }
            }
        }

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);

        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new ProcessFailedException($"Could not start `{FormatCommandLine(fileName, args)}`: {ex.Message}", null, ex);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var limit = timeout ?? DefaultTimeout;
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutCts.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(timeoutCts.Token);
        }
        catch (OperationCanceledException)
        {
            TryKill(process);
            var partial = new ProcessResult(fileName, args, -1, Snapshot(stdout), Snapshot(stderr));
            var reason = cancellationToken.IsCancellationRequested ? "was cancelled" : $"timed out after {limit.TotalSeconds:0} s";
            throw new ProcessFailedException($"`{partial.CommandLine}` {reason} and was killed{Environment.NewLine}{partial.Describe()}", partial);
        }

        // WaitForExitAsync also waits for the redirected streams to reach EOF.
        return new ProcessResult(fileName, args, process.ExitCode, Snapshot(stdout), Snapshot(stderr));
    }

    public static string FormatCommandLine(string fileName, IEnumerable<string> arguments) =>
        string.Join(' ', new[] { fileName }.Concat(arguments).Select(a => a.Contains(' ', StringComparison.Ordinal) || a.Length == 0 ? $"'{a}'" : a));

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (buffer)
        {
            buffer.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder buffer)
    {
        lock (buffer)
        {
            return buffer.ToString();
        }
    }

    private static void TryKill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // already exited
        }
    }
}
