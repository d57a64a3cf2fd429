using Dockyard.Server.Audit;
using Dockyard.Server.Identity;
using Dockyard.Server.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Authentication;

/// <summary>
/// <c>/v2</c> credentials: a registry bearer token (JWT from <c>/auth/token</c>). The validated token's principal and
/// access claims become the request's identity; whether the claims grant what the request needs is the access
/// guard's question. With token authentication off (<see cref="AuthOptions.Enabled"/>) nothing is read. A refused
/// token (forged, tampered, expired, for another service) is on the record, aggregated per address
/// (<see cref="RejectedCredentialAudit"/>), besides the log line.
/// </summary>
internal sealed partial class RegistryBearerCredentials(
    RegistryTokenValidator validator, RejectedCredentialAudit rejections, IOptions<AuthOptions> options, ILogger<RegistryBearerCredentials> logger)
{
    public async ValueTask<AuthenticateResult> AuthenticateAsync(HttpContext context, string scheme)
    {
        if (!options.Value.Enabled || BearerToken(context) is not { } token)
        {
            return AuthenticateResult.NoResult();
        }

        var validation = await validator.ValidateAsync(token, context.RequestAborted);
        if (validation.Claims is null)
        {
            LogInvalidToken(logger, validation.Failure!);
            await rejections.RecordAsync(context, RejectedCredentialAudit.RegistryToken, validation.Failure!);
            return AuthenticateResult.Fail(validation.Failure!);
        }

        // Cached with the validation: a pull sends the same token with every request.
        return validation.AuthenticateResult(scheme);
    }

    /// <summary>The token of a single <c>Authorization: Bearer &lt;token&gt;</c> header (<see cref="AuthorizationHeader"/>).</summary>
    internal static string? BearerToken(HttpContext context)
    {
        var values = context.Request.Headers.Authorization;
        return values.Count == 1 && values[0] is { } header ? AuthorizationHeader.Bearer(header) : null;
    }

    [LoggerMessage(EventId = 320, Level = LogLevel.Information, Message = "Rejected registry bearer token: {Reason}")]
    private static partial void LogInvalidToken(ILogger logger, string reason);
}
