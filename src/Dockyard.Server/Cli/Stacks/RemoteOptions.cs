using System.CommandLine;
using System.Net;

namespace Dockyard.Server.Cli.Stacks;

/// <summary>
/// The flags every remote verb shares — <c>--server URL</c> (else <c>DOCKYARD_SERVER</c>), <c>--token-file PATH</c>
/// (else <c>DOCKYARD_TOKEN</c>), <c>--ca-file PEM</c>, <c>--debug</c> — and their resolution. The token is never a
/// command-line argument: anything on a command line is readable by every local user (<c>ps</c>, /proc).
/// </summary>
internal sealed class RemoteOptions
{
    public const string ServerVariable = "DOCKYARD_SERVER";
    public const string TokenVariable = "DOCKYARD_TOKEN";

    public Option<string> Server { get; } = new("--server") { Description = $"Dockyard's base URL, e.g. https://dockyard.example.com (default: ${ServerVariable})." };

    public Option<string> TokenFile { get; } = new("--token-file") { Description = $"Read the access token from this file (default: ${TokenVariable})." };

    public Option<string> CaFile { get; } = new("--ca-file") { Description = "Trust only the CA certificates in this PEM file for the server's TLS certificate." };

    public Option<bool> Debug { get; } = new("--debug") { Description = "Log each request to standard error." };

    public void AddTo(Command command)
    {
        command.Options.Add(Server);
        command.Options.Add(TokenFile);
        command.Options.Add(CaFile);
        command.Options.Add(Debug);
    }

    /// <summary>The server and token to use; a missing or malformed one is a <see cref="CliUsageException"/>. Risky settings are warned about on <paramref name="error"/>.</summary>
    public RemoteSettings Resolve(ParseResult parse, Func<string, string?> variable, TextWriter error)
    {
        var serverText = parse.GetValue(Server) is { Length: > 0 } given ? given : variable(ServerVariable);
        if (string.IsNullOrWhiteSpace(serverText))
        {
            throw new CliUsageException($"no server: give --server URL or set {ServerVariable}.");
        }

        if (!Uri.TryCreate(serverText.Trim(), UriKind.Absolute, out var server) || server.Scheme is not ("https" or "http") || server.Query.Length > 0 || !string.IsNullOrEmpty(server.UserInfo))
        {
            throw new CliUsageException($"--server '{serverText}': expected an http(s) URL such as https://dockyard.example.com.");
        }

        string? token;
        if (parse.GetValue(TokenFile) is { Length: > 0 } tokenFile)
        {
            token = ReadTokenFile(tokenFile, error);
        }
        else
        {
            token = variable(TokenVariable)?.Trim();
        }

        if (string.IsNullOrEmpty(token))
        {
            throw new CliUsageException($"no access token: set {TokenVariable} or give --token-file PATH (create a token under Settings → Access tokens).");
        }

        if (server.Scheme == "http" && !IsLoopback(server))
        {
            error.WriteLine($"warning: {server.Host} over plain http: the access token travels unencrypted; use https.");
        }

        var caFile = parse.GetValue(CaFile) is { Length: > 0 } ca ? ca : null;
        if (caFile is not null)
        {
            RemoteHandler.LoadRoots(caFile); // fail early, as a usage error, on a missing or empty bundle
        }

        return new RemoteSettings(server, token, caFile);
    }

    private static string ReadTokenFile(string path, TextWriter error)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"--token-file {path}: {e.Message}");
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0)
        {
            error.WriteLine($"warning: --token-file {path} is readable by other users (chmod 600 it).");
        }

        return text.Split('\n', 2)[0].Trim();
    }

    private static bool IsLoopback(Uri server) =>
        server.IsLoopback || (IPAddress.TryParse(server.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
