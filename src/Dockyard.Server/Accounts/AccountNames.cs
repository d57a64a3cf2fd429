using System.Text.RegularExpressions;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Accounts;

/// <summary>
/// Names of users, organizations, teams and service accounts: one repository-name component
/// (<c>[a-z0-9]+(?:[._-][a-z0-9]+)*</c>), at most 64 characters, so a user or organization name is a valid namespace.
/// </summary>
internal static partial class AccountNames
{
    public const int MaxLength = 64;

    public static bool IsValid(string? name) => name is { Length: > 0 and <= MaxLength } && Grammar().IsMatch(name);

    public static void Validate(string field, string? name)
    {
        if (!IsValid(name))
        {
            throw DomainException.Invalid(field, $"Must be 1 to {MaxLength} lowercase letters or digits, optionally separated by single '.', '_' or '-'.");
        }
    }

    // \z, not $: $ also matches before a trailing newline.
    [GeneratedRegex(@"^[a-z0-9]+(?:[._-][a-z0-9]+)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();
}
