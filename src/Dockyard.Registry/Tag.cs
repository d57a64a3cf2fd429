using System.Text.RegularExpressions;

namespace Dockyard.Registry;

/// <summary>Tag grammar from the distribution spec: <c>[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}</c>.</summary>
public static partial class Tag
{
    public const int MaxLength = 128;

    public static bool IsValid(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxLength && Grammar().IsMatch(value);

    // \z, not $: $ also matches before a trailing "\n", which would let "name\n" through.
    [GeneratedRegex(@"^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();
}
