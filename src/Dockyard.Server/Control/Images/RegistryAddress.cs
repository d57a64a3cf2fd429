using Dockyard.Registry;
using Dockyard.Server.Addressing;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Control.Images;

/// <summary>
/// Dockyard's registry as the engines reach it: <c>Dockyard:Control:RegistryAddress</c>, else the public URL's
/// host:port. Recognizes references to it — the only ones Dockyard pulls onto engines (so the server never makes an
/// engine fetch from an address the operator did not choose) and the only ones the runtime link maps to manifests.
/// </summary>
internal sealed class RegistryAddress(IOptions<ControlOptions> options, PublicUrl publicUrl)
{
    /// <summary>host[:port]; null only before a server with a port-0 listen URL has started.</summary>
    public string? Value => options.Value.RegistryAddress is { Length: > 0 } configured ? configured.TrimEnd('/') : publicUrl.Authority;

    /// <summary>
    /// Parses <c>address/repo[:tag][@digest]</c>; false with the reason when it is malformed or names another registry.
    /// </summary>
    public bool TryParse(string? reference, out RegistryImageReference parsed, out string error)
    {
        parsed = null!;
        var address = Value;
        if (address is null)
        {
            error = "The registry address is not known yet; set Dockyard:Control:RegistryAddress.";
            return false;
        }

        if (string.IsNullOrWhiteSpace(reference) || reference.Length > 1024)
        {
            error = $"Give an image reference such as {address}/team/app:1.0.";
            return false;
        }

        var slash = reference.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !string.Equals(reference[..slash], address, StringComparison.OrdinalIgnoreCase))
        {
            error = $"Only images from Dockyard's registry ({address}) can be pulled: '{reference}' names another registry.";
            return false;
        }

        var rest = reference[(slash + 1)..];
        Digest? digest = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (!Digest.TryParse(rest[(at + 1)..], out var parsedDigest))
            {
                error = $"'{rest[(at + 1)..]}' is not a valid digest.";
                return false;
            }

            digest = parsedDigest;
            rest = rest[..at];
        }

        string? tag = null;
        var colon = rest.LastIndexOf(':');
        if (colon > rest.LastIndexOf('/'))
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!Tag.IsValid(tag))
            {
                error = $"'{tag}' is not a valid tag.";
                return false;
            }
        }

        if (!RepositoryName.TryParse(rest, out var repository))
        {
            error = $"'{rest}' is not a valid repository name.";
            return false;
        }

        parsed = new RegistryImageReference(address, repository, digest is null ? tag ?? "latest" : tag, digest);
        error = string.Empty;
        return true;
    }

    /// <summary>The repository and manifest digest of an engine's <c>repo@sha256:…</c> (or <c>repo:tag@sha256:…</c>) when it points at this registry.</summary>
    public bool TryDigestOf(string? reference, out RepositoryName repository, out Digest digest)
    {
        if (reference is not null && reference.Contains('@', StringComparison.Ordinal)
            && TryParse(reference, out var parsed, out _) && parsed.Digest is { } found)
        {
            (repository, digest) = (parsed.Repository, found);
            return true;
        }

        (repository, digest) = (default, default);
        return false;
    }
}
