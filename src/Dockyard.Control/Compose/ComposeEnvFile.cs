namespace Dockyard.Control.Compose;

/// <summary>
/// An <c>env_file</c> as docker reads one: <c>KEY=value</c> lines taken literally (no quotes removed), blank lines and
/// <c>#</c> comments skipped, a bare <c>KEY</c> taken from the stack environment (or left without value).
/// </summary>
internal static class ComposeEnvFile
{
    public static List<KeyValuePair<string, string?>> Parse(string text, Func<int, string, Exception> error)
    {
        var result = new List<KeyValuePair<string, string?>>();
        var lines = text.TrimStart('\uFEFF').Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r').TrimStart();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var cut = line.IndexOf('=', StringComparison.Ordinal);
            var key = cut < 0 ? line.TrimEnd() : line[..cut];
            if (key.Length == 0 || key.Any(char.IsWhiteSpace))
            {
                throw error(i + 1, $"variable '{key}' contains whitespace or is empty");
            }

            result.Add(new(key, cut < 0 ? null : line[(cut + 1)..]));
        }

        return result;
    }
}
