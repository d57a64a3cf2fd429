using System.Text.Json.Serialization;

namespace Dockyard.Control.Images;

/// <summary>The JSON inside <c>X-Registry-Auth</c>, with the engine's lower-case names.</summary>
internal sealed record RegistryAuthBody(
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("password")] string Password,
    [property: JsonPropertyName("serveraddress")] string ServerAddress,
    [property: JsonPropertyName("registrytoken")] string? RegistryToken = null);
