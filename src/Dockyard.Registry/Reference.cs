using System.Diagnostics.CodeAnalysis;

namespace Dockyard.Registry;

/// <summary>The <c>&lt;reference&gt;</c> of a manifest URL: either a tag or a digest, never both.</summary>
public readonly record struct Reference
{
    private Reference(string? tag, Digest? digest)
    {
        Tag = tag;
        Digest = digest;
    }

    public string? Tag { get; }

    public Digest? Digest { get; }

    [MemberNotNullWhen(true, nameof(Tag))]
    public bool IsTag => Tag is not null;

    public static Reference ForTag(string tag) =>
        Registry.Tag.IsValid(tag) ? new Reference(tag, null) : throw new FormatException($"'{tag}' is not a valid tag.");

    public static Reference ForDigest(Digest digest) => new(null, digest);

    /// <summary>
    /// Parses a reference. Anything containing ':' is treated as a digest (tags cannot contain ':'),
    /// so an unsupported digest is reported as such instead of as a bad tag.
    /// </summary>
    public static bool TryParse(string? value, out Reference reference, out bool looksLikeDigest)
    {
        reference = default;
        looksLikeDigest = value is not null && Registry.Digest.LooksLikeDigest(value);
        if (looksLikeDigest)
        {
            if (!Registry.Digest.TryParse(value, out var digest))
            {
                return false;
            }

            reference = new Reference(null, digest);
            return true;
        }

        if (!Registry.Tag.IsValid(value))
        {
            return false;
        }

        reference = new Reference(value, null);
        return true;
    }

    public override string ToString() => Tag ?? Digest?.Value ?? string.Empty;
}
