namespace Dockyard.Server.Cli;

/// <summary>Reads a password from standard input (<c>--password-stdin</c>: the first line, without its line ending) or from a terminal prompt.</summary>
internal static class PasswordInput
{
    public static async Task<string?> ReadAsync(TextReader input, CancellationToken cancellationToken)
    {
        var line = await input.ReadLineAsync(cancellationToken);
        return string.IsNullOrEmpty(line) ? null : line;
    }

    /// <summary>Asks on the terminal without echoing what is typed; null when input ends.</summary>
    public static string? Prompt(string prompt)
    {
        Console.Error.Write(prompt);
        var typed = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    Console.Error.WriteLine();
                    return typed.ToString();
                case ConsoleKey.Backspace:
                    if (typed.Length > 0)
                    {
                        typed.Length--;
                    }

                    break;
                default:
                    if (!char.IsControl(key.KeyChar))
                    {
                        typed.Append(key.KeyChar);
                    }

                    break;
            }
        }
    }
}
