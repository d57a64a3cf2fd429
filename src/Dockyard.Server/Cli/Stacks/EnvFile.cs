namespace Dockyard.Server.Cli.Stacks;

/// <summary>
/// A stack environment file (<c>--env-file</c>): <c>KEY=VALUE</c> lines as <c>docker compose --env-file</c> reads them —
/// blank lines and <c># comments</c> skipped, an optional <c>export </c> prefix, one pair of matching quotes around
/// the value removed. A line without <c>=</c> is an error naming its line.
/// </summary>
internal static class EnvFile
{
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string name, string text)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line["export ".Length..].TrimStart();
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var key = equals > 0 ? line[..equals].Trim() : string.Empty;
            if (key.Length == 0 || key.Any(char.IsWhiteSpace))
            {
                throw new CliUsageException($"{name}:{number}: expected KEY=VALUE");
            }

            pairs.Add(new(key, Unquote(line[(equals + 1)..].Trim())));
        }

        return pairs;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0] ? value[1..^1] : value;
}
