namespace Dockyard.Server.Accounts;

/// <summary>
/// Where the generated first administrator password is printed: the process's console, deliberately not the
/// structured logger, whose output may be shipped to other systems. Replaceable in tests.
/// </summary>
internal sealed class BootstrapConsole(TextWriter writer)
{
    public void WriteOneTimePassword(string username, string password)
    {
        var rule = new string('=', 78);
        writer.WriteLine(rule);
        writer.WriteLine("Dockyard created the first system administrator.");
        writer.WriteLine($"  username: {username}");
        writer.WriteLine($"  password: {password}");
        writer.WriteLine("This password is shown ONCE and will not be shown again. Sign in and change it");
        writer.WriteLine("(POST /api/v1/me/password), or reset it with `dockyard admin reset-password admin`.");
        writer.WriteLine(rule);
        writer.Flush();
    }
}
