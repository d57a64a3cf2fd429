using System.Text;

namespace Dockyard.Control.Images;

/// <summary>
/// Credentials the engine presents to a registry on a pull. <see cref="ToString"/> redacts the password.
/// </summary>
/// <param name="Username">Registry user name.</param>
/// <param name="Password">Password or token.</param>
/// <param name="ServerAddress">The registry host (<c>registry.example.com</c>, <c>127.0.0.1:5000</c>).</param>
public sealed record RegistryCredentials(string Username, string Password, string ServerAddress)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Username = ").Append(Username).Append(", Password = ***, ServerAddress = ").Append(ServerAddress);
        return true;
    }
}
