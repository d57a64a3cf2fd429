using Dockyard.Server.Access;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Policies;

/// <summary>
/// Tag globs for immutability and retention rules: <c>*</c> matches any run of characters (a tag has no slashes, so
/// it is the same glob as <see cref="RepositoryPattern"/>'s), everything else is literal: <c>v*</c>, <c>release-*</c>, <c>*</c>.
/// </summary>
internal static class TagPatterns
{
    public const int MaxLength = 128;

    public static bool Matches(string pattern, string tag) => RepositoryPattern.Matches(pattern, tag);

    /// <summary>Throws a 400 naming <paramref name="field"/> unless <paramref name="pattern"/> is a tag glob.</summary>
    public static string Validate(string field, string? pattern)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            throw DomainException.Invalid(field, "Required: a tag pattern such as v*, release-* or *.");
        }

        if (pattern.Length > MaxLength || !pattern.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or '*'))
        {
            throw DomainException.Invalid(field, $"'{pattern}' is not a tag pattern: up to {MaxLength} characters of A-Z a-z 0-9 _ . - and * (any characters).");
        }

        return pattern;
    }
}
