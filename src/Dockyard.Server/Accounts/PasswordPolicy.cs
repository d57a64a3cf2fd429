using System.Security.Cryptography;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Accounts;

/// <summary>
/// What a local password must be: at least 12 characters, no control characters, not the username. An upper bound keeps a single
/// login from costing unbounded hashing time. Generated passwords are 24 characters (~140 bits).
/// </summary>
internal static class PasswordPolicy
{
    public const int MinLength = 12;
    public const int MaxLength = 256;
    private const int GeneratedLength = 24;

    // No look-alikes (0/O, 1/l/I), so a password printed once can be typed reliably.
    private const string Alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>Why <paramref name="password"/> is not acceptable for <paramref name="username"/>, or null when it is.</summary>
    public static string? Check(string username, string? password)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinLength)
        {
            return $"Must be at least {MinLength} characters.";
        }

        if (password.Length > MaxLength)
        {
            return $"Must be at most {MaxLength} characters.";
        }

        if (password.Any(char.IsControl))
        {
            return "Must not contain control characters.";
        }

        return string.Equals(password.Trim(), username, StringComparison.OrdinalIgnoreCase) ? "Must not be the username." : null;
    }

    public static void Validate(string field, string username, string? password)
    {
        if (Check(username, password) is { } problem)
        {
            throw DomainException.Invalid(field, problem);
        }
    }

    public static string Generate() => RandomNumberGenerator.GetString(Alphabet, GeneratedLength);
}
