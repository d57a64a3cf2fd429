using System.Text;
using System.Text.RegularExpressions;

namespace Dockyard.Control.Exec;

/// <summary>
/// Recognises the text dockerd writes into an exec stream when the process could not be started. It always starts
/// with <see cref="Prefix"/> (containerd's wrapping of runc's error); runc names the missing executable as
/// <c>exec: "bash": executable file not found in $PATH</c> or <c>exec: "/bin/bash": stat /bin/bash: no such file or directory</c>.
/// </summary>
internal static partial class ExecFailureMessage
{
    public static ReadOnlySpan<byte> Prefix => "OCI runtime exec failed"u8;

    /// <summary>True when <paramref name="payload"/> starts with (a part of) <see cref="Prefix"/>; <paramref name="complete"/> when all of it is there.</summary>
    public static bool CouldBe(ReadOnlySpan<byte> payload, out bool complete)
    {
        var length = Math.Min(payload.Length, Prefix.Length);
        complete = payload.Length >= Prefix.Length;
        return payload[..length].SequenceEqual(Prefix[..length]);
    }

    /// <summary>The message text, and the missing executable when that is why the start failed.</summary>
    public static (string Message, string? MissingExecutable) Parse(ReadOnlySpan<byte> payload)
    {
        var message = Encoding.UTF8.GetString(payload).Trim();
        var match = MissingExecutablePattern().Match(message);
        return (message, match.Success ? match.Groups["exe"].Value : null);
    }

    [GeneratedRegex("""exec: "(?<exe>[^"]+)": (?:stat [^\r\n]*: no such file or directory|executable file not found)""")]
    private static partial Regex MissingExecutablePattern();
}
