using System.Reflection;
using System.Text.Json;
using Dockyard.Server.Api;
using Dockyard.Server.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dockyard.Server.Audit;

/// <summary>
/// <b>Transitional.</b> Areas migrated to audit at the service layer (<see cref="AuditedOperations"/>: users,
/// passwords, access tokens, organizations and their members, teams, service accounts, repository settings and grants,
/// immutability rules, retention policies, quotas, signing keys) record there, whoever calls, and are not in this table;
/// this filter keeps serving the areas not migrated yet (retention runs, webhooks, LDAP, garbage collection) and goes
/// away with the last of them.
/// <para>
/// The management API's audit hook: an endpoint filter on <c>/api/v1</c> that records every state-changing
/// endpoint listed in <see cref="Actions"/> after its handler returned and before its result is written, so the
/// entry is committed before the response. The outcome comes from the result's status (2xx success, 401/403
/// denied, else failed with the problem's detail); the resource is the object's API path (the created object's
/// location for 201); the organization is the one in that path or the repository's namespace. Details list the
/// request's non-secret fields (<see cref="AuditDetails.SafeFields"/>: passwords and LDAP settings never appear).
/// </para>
/// </summary>
internal static class ManagementAuditFilter
{
    private static readonly Dictionary<string, string> Actions = new(StringComparer.Ordinal)
    {
        ["PutLdapSettings"] = AuditActions.LdapSettingsUpdate,
        ["RunGarbageCollection"] = AuditActions.SystemGcRequest,
        ["RunOrganizationRetention"] = AuditActions.RetentionRun,
        ["RunRepositoryRetention"] = AuditActions.RetentionRun,
        ["RunRetention"] = AuditActions.RetentionRun,
        ["CreateOrganizationWebhook"] = AuditActions.WebhookCreate,
        ["UpdateOrganizationWebhook"] = AuditActions.WebhookUpdate,
        ["DeleteOrganizationWebhook"] = AuditActions.WebhookDelete,
        ["TestOrganizationWebhook"] = AuditActions.WebhookTest,
        ["CreateRepositoryWebhook"] = AuditActions.WebhookCreate,
        ["UpdateRepositoryWebhook"] = AuditActions.WebhookUpdate,
        ["DeleteRepositoryWebhook"] = AuditActions.WebhookDelete,
        ["TestRepositoryWebhook"] = AuditActions.WebhookTest,
    };

    private static readonly string Prefix = ManagementApi.Prefix + "/";

    private static readonly string[] RepositorySubresources = ["/permissions", "/immutability-rules", "/retention", "/webhooks"];

    public static async ValueTask<object?> RecordAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var name = context.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
        if (name is null || !Actions.TryGetValue(name, out var action))
        {
            return await next(invocation);
        }

        object? result;
        try
        {
            result = await next(invocation);
        }
        catch (DomainException error)
        {
            // The API's error filter (outside this one) answers it; record the answer it gives.
            await RecordResultAsync(context, invocation, action, ApiResults.From(error));
            throw;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            await RecordAsync(context, invocation, action, StatusCodes.Status500InternalServerError, error.GetType().Name, location: null);
            throw;
        }

        await RecordResultAsync(context, invocation, action, result);
        return result;
    }

    private static Task RecordResultAsync(HttpContext context, EndpointFilterInvocationContext invocation, string action, object? result)
    {
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        var reason = (result as ProblemHttpResult)?.ProblemDetails.Detail
                     ?? (result as ValidationProblem)?.ProblemDetails.Detail;
        var location = result?.GetType().GetProperty("Location", BindingFlags.Public | BindingFlags.Instance)?.GetValue(result) as string;
        return RecordAsync(context, invocation, action, status, reason, location);
    }

    private static Task RecordAsync(HttpContext context, EndpointFilterInvocationContext invocation, string action, int status, string? reason, string? location)
    {
        var path = location ?? context.Request.Path.Value ?? string.Empty;
        var resource = path.StartsWith(Prefix, StringComparison.Ordinal) ? path[Prefix.Length..] : path.TrimStart('/');
        var details = Details(invocation.Arguments);
        return RecordAsync(context, action, resource, status, reason, details);
    }

    /// <summary>
    /// Records one management action the way the API does, for callers outside <c>/api/v1</c> (the web UI):
    /// <paramref name="resource"/> is the object's API path without the prefix (<c>orgs/acme/teams/devs</c>), so
    /// entries from the UI and the API read and filter alike; <paramref name="status"/> is the HTTP status the API
    /// would have answered (2xx success, 401/403 denied, else failed with <paramref name="reason"/>).
    /// </summary>
    public static Task RecordAsync(HttpContext context, string action, string resource, int status, string? reason, string? details)
    {
        var repository = RepositoryOf(resource);
        var trail = context.RequestServices.GetRequiredService<AuditTrail>();
        return trail.RecordAsync(
            new AuditEvent
            {
                Action = action,
                Outcome = status is >= 200 and < 300 ? AuditOutcomes.Success
                    : status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden ? AuditOutcomes.Denied
                    : AuditOutcomes.Failed,
                Reason = status is >= 200 and < 300 ? null : $"HTTP {status}" + (reason is null ? string.Empty : $": {reason}"),
                Repository = repository,
                Resource = resource,
                Organization = OrganizationOf(resource) ?? AuditEvent.NamespaceOf(repository),
                Details = details,
            },
            trail.ContextOf(context),
            CancellationToken.None);
    }

    /// <summary><c>orgs/{org}/…</c> → the organization.</summary>
    private static string? OrganizationOf(string resource)
    {
        if (!resource.StartsWith("orgs/", StringComparison.Ordinal))
        {
            return null;
        }

        var rest = resource["orgs/".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return Uri.UnescapeDataString(slash < 0 ? rest : rest[..slash]);
    }

    /// <summary><c>repositories/{name}[/permissions/…, /immutability-rules/…, /retention/…, /webhooks/…]</c> → the repository name.</summary>
    private static string? RepositoryOf(string resource)
    {
        if (!resource.StartsWith("repositories/", StringComparison.Ordinal))
        {
            return null;
        }

        var rest = resource["repositories/".Length..];
        foreach (var suffix in RepositorySubresources)
        {
            var at = rest.IndexOf(suffix, StringComparison.Ordinal);
            if (at >= 0)
            {
                return rest[..at];
            }
        }

        return rest;
    }

    private static string? Details(IList<object?> arguments)
    {
        Dictionary<string, object?>? fields = null;
        foreach (var argument in arguments)
        {
            var type = argument?.GetType();
            if (type is null || type.Namespace != typeof(ManagementApi).Namespace || !type.IsNested)
            {
                continue;
            }

            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (AuditDetails.SafeFields.Contains(JsonNamingPolicy.CamelCase.ConvertName(property.Name)) && property.GetValue(argument) is { } value)
                {
                    fields ??= [];
                    fields[JsonNamingPolicy.CamelCase.ConvertName(property.Name)] = value;
                }
            }
        }

        return fields is null ? null : JsonSerializer.Serialize(fields, AuditEntryResponse.JsonOptions);
    }
}
