using System.Text;

namespace Dockyard.Control.Images;

/// <summary>
/// Credentials the engine presents to a registry on a pull: a user name and password (the engine runs the registry's
/// token flow with them), or, with <see cref="RegistryToken"/>, a bearer token the engine sends as it is (no token
/// flow; the engine's <c>registrytoken</c>). <see cref="ToString"/> redacts the password and the token.
/// </summary>
/// <param name="Username">Registry user name.</param>
/// <param name="Password">Password or token.</param>
/// <param name="ServerAddress">The registry host (<c>registry.example.com</c>, <c>127.0.0.1:5000</c>).</param>
public sealed record RegistryCredentials(string Username, string Password, string ServerAddress)
{
    /// <summary>A registry bearer token sent as <c>Authorization: Bearer</c> on every registry request of the pull.</summary>
    public string? RegistryToken { get; init; }

    /// <summary>Credentials that are a ready registry bearer token for <paramref name="serverAddress"/>.</summary>
    public static RegistryCredentials ForToken(string token, string serverAddress) =>
        new(string.Empty, string.Empty, serverAddress) { RegistryToken = token };

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Username = ").Append(Username).Append(", Password = ***, ServerAddress = ").Append(ServerAddress);
        if (RegistryToken is not null)
        {
            builder.Append(", RegistryToken = ***");
        }

        return true;
    }
}
