namespace Dockyard.Server.Tokens;

/// <summary>
/// The error registry of the OAuth2 (POST) token endpoint: each RFC 6749 §5.2 error code registered once with its
/// HTTP status. The GET (Docker token) flavour answers in the OCI format instead (<see cref="Distribution.OciErrors"/>).
/// </summary>
internal static class OAuthErrors
{
    public static readonly OAuthErrorCode InvalidRequest = new("invalid_request", StatusCodes.Status400BadRequest);
    public static readonly OAuthErrorCode InvalidScope = new("invalid_scope", StatusCodes.Status400BadRequest);
    public static readonly OAuthErrorCode InvalidGrant = new("invalid_grant", StatusCodes.Status400BadRequest);
    public static readonly OAuthErrorCode UnsupportedGrantType = new("unsupported_grant_type", StatusCodes.Status400BadRequest);

    /// <summary>The source address is throttled (with <c>Retry-After</c>); RFC 8628's name for "retry more slowly".</summary>
    public static readonly OAuthErrorCode SlowDown = new("slow_down", StatusCodes.Status429TooManyRequests);

    /// <summary>Every entry, for the table in docs/architecture.md and its test.</summary>
    public static IReadOnlyList<OAuthErrorCode> All { get; } = [InvalidRequest, InvalidScope, InvalidGrant, UnsupportedGrantType, SlowDown];
}
