using System.Text.Json.Serialization;

namespace Dockyard.Server.Distribution;

/// <summary>
/// The token endpoint's answer, shaped for both the Docker token spec (<c>token</c>) and OAuth2
/// (<c>access_token</c>); <c>refresh_token</c> only for offline requests of password logins.
/// </summary>
internal sealed record TokenResponse(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] long ExpiresIn,
    [property: JsonPropertyName("issued_at")] string IssuedAt,
    [property: JsonPropertyName("refresh_token"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RefreshToken);
