namespace Dockyard.Server.Accounts;

/// <summary>
/// Where the generated first administrator password is announced: the process's console, deliberately not the
/// structured logger, whose output may be shipped to other systems. The password itself is shown only when
/// <paramref name="showPassword"/> (a terminal is attached); otherwise — under systemd stdout is the journal, readable
/// by the <c>adm</c> group and often shipped — only the 0600 file that holds it is named. Replaceable in tests.
/// </summary>
internal sealed class BootstrapConsole(TextWriter writer, bool showPassword = true)
{
    /// <summary>The console as the process has it: the password is shown only when stdout is a terminal.</summary>
    public static BootstrapConsole Standard() => new(Console.Out, showPassword: !Console.IsOutputRedirected);

    public void WriteOneTimePassword(string username, string password, string passwordFile)
    {
        var rule = new string('=', 78);
        writer.WriteLine(rule);
        writer.WriteLine("Dockyard created the first system administrator.");
        writer.WriteLine($"  username: {username}");
        if (showPassword)
        {
            writer.WriteLine($"  password: {password}");
        }

        writer.WriteLine($"  password file: {passwordFile} (readable only by this account)");
        writer.WriteLine("Sign in and change the password (POST /api/v1/me/password, or the web UI), then delete the");
        writer.WriteLine("file; or reset it with `dockyard admin reset-password admin`. The password will not be shown again.");
        writer.WriteLine(rule);
        writer.Flush();
    }
}
