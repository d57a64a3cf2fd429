using System.Net;
using System.Text.RegularExpressions;
using Dockyard.Control.Engines;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Control;

/// <summary>
/// What makes an engine definition valid, for configuration and the API alike: a name of lower-case letters, digits,
/// <c>.</c>, <c>_</c> and <c>-</c> (at most 64, starting with a letter or digit); an endpoint <c>unix:///absolute/path</c>
/// or <c>tcp://host:port</c>; for TCP to anything but loopback, all three TLS files (absolute paths that exist).
/// Where an engine is may be anything an administrator chooses: adding engines is theirs alone.
/// </summary>
internal static partial class EngineRules
{
    public const int MaxNameLength = 64;

    /// <summary>The definition, or a <see cref="DomainException"/> (invalid, with its field).</summary>
    public static EngineDefinition Validate(string? name, string? endpoint, string? caFile, string? certFile, string? keyFile)
    {
        if (string.IsNullOrEmpty(name) || !NameGrammar().IsMatch(name))
        {
            throw DomainException.Invalid("name", $"Use 1 to {MaxNameLength} lower-case letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }

        if (string.IsNullOrWhiteSpace(endpoint) || !Uri.TryCreate(endpoint, UriKind.Absolute, out var address))
        {
            throw DomainException.Invalid("endpoint", "Use unix:///path/to/docker.sock or tcp://host:port.");
        }

        var files = new[] { caFile, certFile, keyFile };
        var anyTls = files.Any(f => !string.IsNullOrEmpty(f));
        switch (address.Scheme)
        {
            case "unix":
                if (!string.IsNullOrEmpty(address.Host) || address.AbsolutePath.Length < 2 || address.Query.Length > 0 || address.Fragment.Length > 0)
                {
                    throw DomainException.Invalid("endpoint", "A unix socket address is unix:///absolute/path (three slashes).");
                }

                if (anyTls)
                {
                    throw DomainException.Invalid("caFile", "TLS files apply to tcp:// engines only.");
                }

                return new EngineDefinition { Name = name, Endpoint = address };

            case "tcp":
                if (string.IsNullOrEmpty(address.Host) || address.Port <= 0 || address.AbsolutePath != "/" || address.Query.Length > 0
                    || address.Fragment.Length > 0 || address.UserInfo.Length > 0)
                {
                    throw DomainException.Invalid("endpoint", "A TCP address is tcp://host:port (for example tcp://10.0.0.5:2376), with no path.");
                }

                if (!anyTls)
                {
                    return IsLoopback(address.Host)
                        ? new EngineDefinition { Name = name, Endpoint = address }
                        : throw DomainException.Invalid("caFile", "A tcp:// engine not on loopback needs caFile, certFile and keyFile (mutual TLS): whoever reaches an engine's API owns its machine.");
                }

                CheckFile("caFile", caFile);
                CheckFile("certFile", certFile);
                CheckFile("keyFile", keyFile);
                return new EngineDefinition { Name = name, Endpoint = address, Tls = new EngineTls(caFile!, certFile!, keyFile!) };

            default:
                throw DomainException.Invalid("endpoint", $"Scheme '{address.Scheme}' is not supported: use unix:// or tcp://.");
        }
    }

    private static void CheckFile(string field, string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            throw DomainException.Invalid(field, "TLS needs all three of caFile, certFile and keyFile.");
        }

        if (!Path.IsPathFullyQualified(path))
        {
            throw DomainException.Invalid(field, "Give an absolute path.");
        }

        if (!File.Exists(path))
        {
            throw DomainException.Invalid(field, $"No file at {path}.");
        }
    }

    private static bool IsLoopback(string host) =>
        host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex NameGrammar();
}
