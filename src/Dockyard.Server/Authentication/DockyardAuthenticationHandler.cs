using System.Runtime.ExceptionServices;
using Dockyard.Server.Access;
using Microsoft.AspNetCore.Authentication;

namespace Dockyard.Server.Authentication;

/// <summary>
/// The one authentication handler: picks the credential kind by surface (see <see cref="DockyardAuthentication"/>)
/// and records a refusal (<see cref="HttpContextPrincipal.RejectCredentials"/>) so each surface can answer it in its
/// own wire format. It never writes a response itself: challenges are the surfaces' (OCI errors with a Bearer
/// challenge on <c>/v2</c>, ProblemDetails on <c>/api/v1</c>, a redirect to sign-in in the UI).
/// </summary>
internal sealed class DockyardAuthenticationHandler(
    RegistryBearerCredentials registry,
    HeaderCredentials headers,
    SessionCookieCredentials session) : IAuthenticationHandler
{
    private HttpContext _context = null!;
    private AuthenticationScheme _scheme = null!;
    private Task<AuthenticateResult>? _result;

    public Task InitializeAsync(AuthenticationScheme scheme, HttpContext context)
    {
        _scheme = scheme;
        _context = context;
        return Task.CompletedTask;
    }

    public Task<AuthenticateResult> AuthenticateAsync() => _result ??= AuthenticateOnceAsync();

    public Task ChallengeAsync(AuthenticationProperties? properties)
    {
        _context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Task.CompletedTask;
    }

    public Task ForbidAsync(AuthenticationProperties? properties)
    {
        _context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }

    private async Task<AuthenticateResult> AuthenticateOnceAsync()
    {
        AuthenticateResult result;
        try
        {
            var path = _context.Request.Path;
            result = path.StartsWithSegments("/v2", StringComparison.Ordinal) ? await registry.AuthenticateAsync(_context, _scheme.Name)
                // /metrics too: a scraper sends an administrator's Basic credentials or access token (Observability/MetricsAccessGate).
                : path.StartsWithSegments("/api", StringComparison.Ordinal) || path.StartsWithSegments("/metrics", StringComparison.Ordinal)
                    ? await headers.AuthenticateAsync(_context, _scheme.Name)
                : await session.AuthenticateAsync(_context, _scheme.Name);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // Not the caller's fault: each surface rethrows it inside its own error translator.
            _context.Features.Set(new AuthenticationError(ExceptionDispatchInfo.Capture(error)));
            return AuthenticateResult.NoResult();
        }

        if (result.Failure is { } failure)
        {
            _context.RejectCredentials(failure.Message, result.Properties?.GetParameter<TimeSpan?>(HeaderCredentials.RetryAfterParameter));
        }

        return result;
    }
}
