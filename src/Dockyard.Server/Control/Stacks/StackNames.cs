using System.Text.RegularExpressions;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Control.Stacks;

/// <summary>The stack name rule of <c>docker stack deploy</c>: lower-case letters and digits, <c>_</c> and <c>-</c>, starting with a letter or digit.</summary>
internal static partial class StackNames
{
    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    /// <summary>Throws a 400 naming the rule when <paramref name="name"/> is not a stack name.</summary>
    public static string Require(string? name) => IsValid(name)
        ? name!
        : throw DomainException.Invalid("name", "A stack name is 1–63 lower-case letters, digits, '_' or '-', starting with a letter or digit.");

    /// <summary>The short name of <paramref name="service"/> in <paramref name="stack"/> (<c>web</c> of <c>shop_web</c>); the name itself when it has no prefix (an explicit <c>name:</c>).</summary>
    public static string ShortName(string stack, string service) =>
        service.StartsWith(stack + "_", StringComparison.Ordinal) ? service[(stack.Length + 1)..] : service;

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
