using System.Text.Json;

namespace Dockyard.Control.Images;

/// <summary>
/// Encodes <c>X-Registry-Auth</c> as the docker CLI does: base64url (with padding) of
/// <c>{"username","password","serveraddress"}</c>. The value carries a password: never log it.
/// </summary>
public static class RegistryAuthHeader
{
    public const string Name = "X-Registry-Auth";

    public static string Encode(RegistryCredentials credentials)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(
            new RegistryAuthBody(credentials.Username, credentials.Password, credentials.ServerAddress, credentials.RegistryToken),
            ImageJsonContext.Default.RegistryAuthBody);
        return Convert.ToBase64String(json).Replace('+', '-').Replace('/', '_');
    }
}
