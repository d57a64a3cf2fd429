namespace Dockyard.Server.Cli;

/// <summary>Reads a password from standard input (<c>--password-stdin</c>): the first line, without its line ending.</summary>
internal static class PasswordInput
{
    public static async Task<string?> ReadAsync(TextReader input, CancellationToken cancellationToken)
    {
        var line = await input.ReadLineAsync(cancellationToken);
        return string.IsNullOrEmpty(line) ? null : line;
    }
}
