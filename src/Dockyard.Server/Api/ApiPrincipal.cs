using System.Net.Http.Headers;
using System.Text;
using Dockyard.Server.Access;
using Dockyard.Server.Audit;
using Dockyard.Server.Identity;

namespace Dockyard.Server.Api;

/// <summary>
/// Resolves who calls the management API: <c>Authorization: Basic</c> (username and password, or an access token as
/// the password) or <c>Authorization: Bearer</c> with an access token. No header means anonymous; a header with bad
/// credentials is refused at once (401), so a typo never silently degrades to anonymous.
/// </summary>
internal static class ApiPrincipal
{
    private const string ItemKey = "dockyard.principal";

    /// <summary>The caller, as resolved by the API's endpoint filter.</summary>
    public static Principal GetPrincipal(this HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var value) && value is Principal principal ? principal : Principal.Anonymous;

    /// <summary>Records the caller for the rest of the request (the web UI sets its signed-in user, so audit entries name them).</summary>
    public static void SetPrincipal(this HttpContext context, Principal principal) => context.Items[ItemKey] = principal;

    public static async ValueTask<object?> ResolveAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length > 0)
        {
            var principal = await AuthenticateAsync(context, header);
            if (principal is null)
            {
                return Unauthorized(context);
            }

            context.Items[ItemKey] = principal;
        }

        return await next(invocation);
    }

    /// <summary>401 with the Basic challenge, as ProblemDetails.</summary>
    public static IResult Unauthorized(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"dockyard\", charset=\"UTF-8\"";
        return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Authentication required", detail: "Send valid credentials (Basic) or an access token (Bearer).");
    }

    /// <summary>403 as ProblemDetails.</summary>
    public static IResult Forbidden(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail);

    private static async Task<Principal?> AuthenticateAsync(HttpContext context, string header)
    {
        if (!AuthenticationHeaderValue.TryParse(header, out var value) || string.IsNullOrEmpty(value.Parameter))
        {
            return null;
        }

        var cancellationToken = context.RequestAborted;
        if (string.Equals(value.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            var bearer = await context.RequestServices.GetRequiredService<AccessTokenService>().ValidateAsync(value.Parameter, cancellationToken);
            await context.RequestServices.GetRequiredService<AuditTrail>().LoginAsync("-", AuthMethods.AccessToken, bearer, "invalid, expired or revoked access token");
            return bearer;
        }

        if (!string.Equals(value.Scheme, "Basic", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value.Parameter));
        }
        catch (FormatException)
        {
            return null;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return null;
        }

        var result = await context.RequestServices.GetRequiredService<ICredentialAuthenticator>()
            .AuthenticateAsync(decoded[..colon], decoded[(colon + 1)..], cancellationToken);
        return result.Principal;
    }
}
