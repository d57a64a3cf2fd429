using System.Text.Json.Serialization;

namespace Dockyard.Server.Distribution;

/// <summary>RFC 6749 §5.2 error body of the OAuth2 (POST) token endpoint.</summary>
internal sealed record OAuthError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string Description);
