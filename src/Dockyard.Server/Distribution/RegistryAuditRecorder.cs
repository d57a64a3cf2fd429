using System.Text.Json;
using Dockyard.Registry;
using Dockyard.Registry.Errors;
using Dockyard.Server.Access;
using Dockyard.Server.Audit;

namespace Dockyard.Server.Distribution;

/// <summary>
/// The <c>/v2</c> dispatcher's audit hooks (a repository's creation is recorded where its row is inserted, by
/// <see cref="RepositoryCreationAuditor"/>). They run after the handler returned and before the response is
/// completed: push and delete handlers only set status and headers (no body), so the entry is committed before the
/// client sees the answer. Pulls (manifest GET, by tag or digest) are queued, not awaited. HEAD and blob reads are
/// not recorded: a pull's manifest GET names the digest the client received.
/// </summary>
internal static class RegistryAuditRecorder
{
    /// <summary>After the handler succeeded.</summary>
    public static async Task CompletedAsync(HttpContext context, RepositoryName name, RegistryRoute route)
    {
        var trail = context.RequestServices.GetRequiredService<AuditTrail>();
        var method = context.Request.Method;
        var status = context.Response.StatusCode;
        var digest = context.Response.Headers[RegistryHeaders.ContentDigest].ToString() is { Length: > 0 } d ? d : null;
        if (route.Kind == RegistryRouteKind.Manifest && HttpMethods.IsGet(method))
        {
            if (trail.PullsEnabled && status == StatusCodes.Status200OK)
            {
                trail.RecordPull(new AuditEvent { Action = AuditActions.ManifestPull, Repository = name.Value, Reference = route.Argument, Digest = digest }, trail.ContextOf(context));
            }

            return;
        }

        var auditEvent = (route.Kind, status) switch
        {
            (RegistryRouteKind.Manifest, StatusCodes.Status201Created) when HttpMethods.IsPut(method) =>
                new AuditEvent { Action = AuditActions.ManifestPush, Repository = name.Value, Reference = route.Argument, Digest = digest },
            (RegistryRouteKind.Manifest, StatusCodes.Status202Accepted) when HttpMethods.IsDelete(method) => new AuditEvent
            {
                Action = route.Argument.Contains(':', StringComparison.Ordinal) ? AuditActions.ManifestDelete : AuditActions.TagDelete,
                Repository = name.Value,
                Reference = route.Argument,
                Digest = route.Argument.Contains(':', StringComparison.Ordinal) ? route.Argument : null,
            },
            (RegistryRouteKind.Blob, StatusCodes.Status202Accepted) when HttpMethods.IsDelete(method) =>
                new AuditEvent { Action = AuditActions.BlobDelete, Repository = name.Value, Digest = route.Argument },
            (RegistryRouteKind.Uploads, StatusCodes.Status201Created) when context.Request.Query.ContainsKey("mount") && CrossRepositoryMount.IsAllowed(context) => new AuditEvent
            {
                Action = AuditActions.BlobMount,
                Repository = name.Value,
                Digest = digest,
                Details = JsonSerializer.Serialize(new { from = context.Request.Query["from"].ToString() }),
            },
            _ => null,
        };
        if (auditEvent is not null)
        {
            await trail.RecordAsync(auditEvent, trail.ContextOf(context), CancellationToken.None);
        }
    }

    /// <summary>
    /// After the guard refused. Refused writes and deletes are always recorded; refused reads only when an
    /// authenticated caller was denied (anonymous challenges precede every normal login and would flood the trail).
    /// </summary>
    public static async Task DeniedAsync(HttpContext context, RepositoryName? name, RepositoryActions access, RegistryRoute route)
    {
        var writes = (access & (RepositoryActions.Push | RepositoryActions.Delete)) != 0;
        if (!writes && context.GetRegistryPrincipal() is not { IsAuthenticated: true })
        {
            return;
        }

        var trail = context.RequestServices.GetRequiredService<AuditTrail>();
        await trail.RecordAsync(
            new AuditEvent
            {
                Action = AuditActions.RegistryDenied,
                Outcome = AuditOutcomes.Denied,
                Reason = $"{context.Request.Method} {route.Kind.ToString().ToLowerInvariant()} needs {access.ToString().ToLowerInvariant()} (HTTP {context.Response.StatusCode})",
                Repository = name?.Value,
                Reference = route.Kind == RegistryRouteKind.Manifest ? route.Argument : null,
            },
            trail.ContextOf(context),
            CancellationToken.None);
    }

    /// <summary>A push or delete the registry refused (invalid manifest, unknown digest, …; DENIED by a policy is recorded as denied), or a manifest GET a signature policy refused.</summary>
    public static async Task FailedAsync(HttpContext context, RegistryRoute route, RegistryException error)
    {
        var method = context.Request.Method;
        var write = (route.Kind == RegistryRouteKind.Manifest && (HttpMethods.IsPut(method) || HttpMethods.IsDelete(method)))
                    || (route.Kind == RegistryRouteKind.Blob && HttpMethods.IsDelete(method));
        if (!RepositoryName.TryParse(route.Name, out var name))
        {
            return;
        }

        var trail = context.RequestServices.GetRequiredService<AuditTrail>();
        if (error.Code == RegistryErrorCode.Denied && route.Kind == RegistryRouteKind.Manifest && HttpMethods.IsGet(method))
        {
            // A pull a signature policy refused: recorded with the policy's reason (HEAD is not, like pulls).
            await trail.RecordAsync(
                new AuditEvent { Action = AuditActions.ManifestPull, Outcome = AuditOutcomes.Denied, Reason = error.Message, Repository = name.Value, Reference = route.Argument },
                trail.ContextOf(context),
                CancellationToken.None);
            return;
        }

        if (!write)
        {
            // A blob refused by policy (storage quota) is a refused write worth recording; other upload errors are not.
            if (error.Code == RegistryErrorCode.Denied && route.Kind is RegistryRouteKind.Upload or RegistryRouteKind.Uploads)
            {
                await trail.RecordAsync(
                    new AuditEvent { Action = AuditActions.RegistryDenied, Outcome = AuditOutcomes.Denied, Reason = error.Message, Repository = name.Value },
                    trail.ContextOf(context),
                    CancellationToken.None);
            }

            return;
        }

        var action = HttpMethods.IsPut(method) ? AuditActions.ManifestPush
            : route.Kind == RegistryRouteKind.Blob ? AuditActions.BlobDelete
            : route.Argument.Contains(':', StringComparison.Ordinal) ? AuditActions.ManifestDelete : AuditActions.TagDelete;
        await trail.RecordAsync(
            new AuditEvent { Action = action, Outcome = error.Code == RegistryErrorCode.Denied ? AuditOutcomes.Denied : AuditOutcomes.Failed, Reason = $"{error.Code}: {error.Message}", Repository = name.Value, Reference = route.Argument },
            trail.ContextOf(context),
            CancellationToken.None);
    }

    /// <summary>
    /// A push or delete refused because the storage is full (the client got 507): recorded as failed. Nothing changed,
    /// so the entry may wait for space (<see cref="AuditTrail.RecordOrDeferAsync(AuditEvent, AuditContext, CancellationToken)"/>).
    /// Uploads are not recorded, like their other errors.
    /// </summary>
    public static Task StorageFullAsync(HttpContext context, RegistryRoute route)
    {
        var action = ChangeAction(context.Request.Method, route);
        if (action is null || !RepositoryName.TryParse(route.Name, out var name))
        {
            return Task.CompletedTask;
        }

        var trail = context.RequestServices.GetRequiredService<AuditTrail>();
        return trail.RecordOrDeferAsync(
            new AuditEvent
            {
                Action = action,
                Outcome = AuditOutcomes.Failed,
                Reason = "storage full",
                Repository = name.Value,
                Reference = route.Kind == RegistryRouteKind.Manifest ? route.Argument : null,
            },
            trail.ContextOf(context),
            CancellationToken.None);
    }

    /// <summary>The audit action of a state-changing <c>/v2</c> request (manifest push or delete, tag or blob delete); null for others.</summary>
    private static string? ChangeAction(string method, RegistryRoute route) => route.Kind switch
    {
        RegistryRouteKind.Manifest when HttpMethods.IsPut(method) => AuditActions.ManifestPush,
        RegistryRouteKind.Manifest when HttpMethods.IsDelete(method) =>
            route.Argument.Contains(':', StringComparison.Ordinal) ? AuditActions.ManifestDelete : AuditActions.TagDelete,
        RegistryRouteKind.Blob when HttpMethods.IsDelete(method) => AuditActions.BlobDelete,
        _ => null,
    };

    /// <summary>
    /// A request that failed unexpectedly (the client got UNKNOWN 500): recorded as failed whatever it was, a push or
    /// delete under its own action, anything else as <see cref="AuditActions.RegistryError"/>. The reason names the
    /// exception's type and the request id, which the log entry carries too; never its message.
    /// </summary>
    public static async Task UnexpectedAsync(HttpContext context, RegistryRoute route, Exception error, string requestId)
    {
        var method = context.Request.Method;
        var action = ChangeAction(method, route) ?? AuditActions.RegistryError;
        var trail = context.RequestServices.GetRequiredService<AuditTrail>();
        await trail.RecordAsync(
            new AuditEvent
            {
                Action = action,
                Outcome = AuditOutcomes.Failed,
                Reason = $"UNKNOWN: {method} {route.Kind.ToString().ToLowerInvariant()} failed with {error.GetType().Name} (request {requestId})",
                Repository = RepositoryName.TryParse(route.Name, out var name) ? name.Value : null,
                Reference = route.Kind == RegistryRouteKind.Manifest ? route.Argument : null,
            },
            trail.ContextOf(context),
            CancellationToken.None);
    }
}
