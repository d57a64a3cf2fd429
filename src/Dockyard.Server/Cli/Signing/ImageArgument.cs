using Dockyard.Registry;
using Dockyard.Server.Cli.Stacks;

namespace Dockyard.Server.Cli.Signing;

/// <summary>
/// The IMAGE of <c>dockyard sign</c>: <c>[host[:port]/]repository[:tag|@digest]</c> as docker writes it. A first
/// component with a dot or a colon, or <c>localhost</c>, is the registry host (dropped: the server is <c>--server</c>);
/// without a tag or digest the tag is <c>latest</c>.
/// </summary>
internal sealed record ImageArgument(RepositoryName Repository, Reference Reference)
{
    public static ImageArgument Parse(string image)
    {
        var text = image.Trim();
        var slash = text.IndexOf('/');
        if (slash > 0 && (text[..slash].Contains('.') || text[..slash].Contains(':') || text[..slash] == "localhost"))
        {
            text = text[(slash + 1)..];
        }

        string name;
        string reference;
        var at = text.IndexOf('@');
        if (at >= 0)
        {
            name = text[..at];
            reference = text[(at + 1)..];
        }
        else
        {
            var colon = text.LastIndexOf(':');
            (name, reference) = colon > text.LastIndexOf('/') ? (text[..colon], text[(colon + 1)..]) : (text, "latest");
        }

        if (!RepositoryName.TryParse(name, out var repository))
        {
            throw new CliUsageException($"IMAGE '{image}': '{name}' is not a repository name (lowercase components separated by '/').");
        }

        if (!Reference.TryParse(reference, out var parsed, out var looksLikeDigest) || (at >= 0 && !looksLikeDigest))
        {
            throw new CliUsageException($"IMAGE '{image}': '{reference}' is not a {(at >= 0 ? "digest (sha256:<64 hex>)" : "tag")}.");
        }

        return new ImageArgument(repository, parsed);
    }

    public override string ToString() => Reference.IsTag ? $"{Repository}:{Reference}" : $"{Repository}@{Reference}";
}
