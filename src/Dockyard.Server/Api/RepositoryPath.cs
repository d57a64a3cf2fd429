using System.Globalization;
using Dockyard.Registry;

namespace Dockyard.Server.Api;

/// <summary>
/// A repository sub-resource addressed through a catch-all path, <c>{name}/{shape}</c>: repository names contain
/// slashes, so the path is recognised from its end. A shape is fixed segments and at most one <c>{id}</c>
/// (1 to 18 digits) and at most one <c>{digest}</c> (a sha256 or sha512 digest) or <c>{reference}</c> (a tag or a digest), e.g. <c>webhooks/{id}/deliveries</c>,
/// <c>manifests/{digest}/signatures</c>; one trailing slash is tolerated.
/// </summary>
internal readonly record struct RepositoryPath(RepositoryName Repository, long? Id)
{
    /// <summary>The placeholder of a numeric id in a shape.</summary>
    public const string IdSegment = "{id}";

    /// <summary>The placeholder of a manifest digest in a shape.</summary>
    public const string DigestSegment = "{digest}";

    /// <summary>The <see cref="DigestSegment"/> of the path; null when its shape has none.</summary>
    public Digest? Digest { get; init; }

    /// <summary>The placeholder of a manifest reference (tag or digest) in a shape.</summary>
    public const string ReferenceSegment = "{reference}";

    /// <summary>The <see cref="ReferenceSegment"/> of the path; null when its shape has none.</summary>
    public Reference? Reference { get; init; }

    /// <summary>Splits <paramref name="path"/> into a valid repository name and the id, if it has the given shape.</summary>
    public static bool TryParse(string path, string shape, out RepositoryPath parsed)
    {
        parsed = default;
        var rest = path.EndsWith('/') ? path.AsSpan(0, path.Length - 1) : path.AsSpan();
        long? id = null;
        Digest? digest = null;
        Reference? reference = null;
        var shapeSegments = shape.Split('/');
        for (var i = shapeSegments.Length - 1; i >= 0; i--)
        {
            var slash = rest.LastIndexOf('/');
            if (slash <= 0)
            {
                return false;
            }

            var segment = rest[(slash + 1)..];
            if (shapeSegments[i] == IdSegment)
            {
                if (segment.Length is 0 or > 18 || segment.ContainsAnyExcept("0123456789")
                    || !long.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                {
                    return false;
                }

                id = number;
            }
            else if (shapeSegments[i] == DigestSegment)
            {
                if (!Dockyard.Registry.Digest.TryParse(segment.ToString(), out var parsedDigest))
                {
                    return false;
                }

                digest = parsedDigest;
            }
            else if (shapeSegments[i] == ReferenceSegment)
            {
                if (!Registry.Reference.TryParse(segment.ToString(), out var parsedReference, out _))
                {
                    return false;
                }

                reference = parsedReference;
            }
            else if (!segment.SequenceEqual(shapeSegments[i]))
            {
                return false;
            }

            rest = rest[..slash];
        }

        if (!RepositoryName.TryParse(rest.ToString(), out var name))
        {
            return false;
        }

        parsed = new RepositoryPath(name, id) { Digest = digest, Reference = reference };
        return true;
    }
}
