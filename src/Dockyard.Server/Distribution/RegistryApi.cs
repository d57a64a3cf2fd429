using System.Diagnostics;
using Dockyard.Registry;
using Dockyard.Registry.Errors;
using Dockyard.Server.Access;
using Dockyard.Server.Errors;
using Microsoft.AspNetCore.Http.Features;

namespace Dockyard.Server.Distribution;

/// <summary>
/// The <c>/v2</c> API: one catch-all endpoint that parses the path (names contain slashes), validates
/// the name, asks the access guard, dispatches to the resource's handler, and translates registry
/// errors to the OCI error body. Everything registry-shaped passes through <see cref="DispatchAsync"/>.
/// </summary>
internal static partial class RegistryApi
{
    public static IEndpointRouteBuilder MapRegistryApi(this IEndpointRouteBuilder endpoints)
    {
        // One catch-all: it also matches "/v2" and "/v2/", the API version check ("ping").
        endpoints.Map("/v2/{**path}", DispatchAsync);
        return endpoints;
    }

    private static async Task PingAsync(HttpContext context)
    {
        context.Response.Headers[RegistryHeaders.ApiVersion] = RegistryHeaders.ApiVersionValue;
        var guard = context.RequestServices.GetRequiredService<IRegistryAccessGuard>();
        if (!await guard.AuthorizeAsync(context, new RegistryAccessRequest(null, RepositoryActions.None)))
        {
            return;
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            await RegistryErrorWriter.WriteAsync(context, RegistryErrorCode.Unsupported, "Only GET and HEAD are supported here.");
            return;
        }

        context.Response.ContentType = "application/json";
        context.Response.ContentLength = 2;
        if (HttpMethods.IsGet(context.Request.Method))
        {
            await context.Response.Body.WriteAsync("{}"u8.ToArray(), context.RequestAborted);
        }
    }

    private static async Task DispatchAsync(HttpContext context)
    {
        if (DotSegments.In(context.Features.Get<IHttpRequestFeature>()?.RawTarget))
        {
            context.Response.Headers[RegistryHeaders.ApiVersion] = RegistryHeaders.ApiVersionValue;
            await RegistryErrorWriter.WriteAsync(
                context,
                RegistryErrorCode.NameInvalid,
                "The request path has a '.' or '..' segment: repository names and references cannot contain one.");
            return;
        }

        var fullPath = context.Request.Path.Value ?? string.Empty;
        if (fullPath.Length <= "/v2/".Length)
        {
            await PingAsync(context);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        context.Response.Headers[RegistryHeaders.ApiVersion] = RegistryHeaders.ApiVersionValue;
        var route = RegistryRoute.Parse(fullPath.AsSpan("/v2/".Length));
        // What the metrics record unless the request is answered below: an exception escaping is a server failure,
        // whatever status the response still holds (its default is 200).
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            status = await HandleAsync(context, route);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            status = RegistryRequestMetrics.ClientClosedRequest;
            throw;
        }
        finally
        {
            context.RequestServices.GetRequiredService<RegistryRequestMetrics>()
                .ObserveRequest(route.Kind, context.Request.Method, status, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>Dispatches and translates failures; returns the status the request counts as (500 for a response aborted part way).</summary>
    private static async Task<int> HandleAsync(HttpContext context, RegistryRoute route)
    {
        try
        {
            await DispatchRouteAsync(context, route);
        }
        catch (RegistryException error) when (!context.Response.HasStarted)
        {
            await RegistryAuditRecorder.FailedAsync(context, route, error);
            await RegistryErrorWriter.WriteAsync(context, error);
        }
        catch (BadHttpRequestException error) when (!context.Response.HasStarted)
        {
            // Kestrel's own verdicts on the request (body shorter than Content-Length, too large, …).
            await RegistryErrorWriter.WriteAsync(context, OciErrors.OfBadRequest(error.StatusCode), error.Message);
        }
        catch (Exception error) when (OutOfSpace.Is(error) && !context.Response.HasStarted)
        {
            // Expected while the disk is full: one warning line, not a stack trace per request.
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RegistryApi).FullName!);
            LogStorageFull(logger, context.Request.Method, route.Kind, error.Message);
            try
            {
                await RegistryAuditRecorder.StorageFullAsync(context, route);
            }
            catch (Exception auditError)
            {
                LogAuditFailed(logger, auditError, context.TraceIdentifier);
            }

            context.Response.Clear();
            context.Response.Headers[RegistryHeaders.ApiVersion] = RegistryHeaders.ApiVersionValue;
            await RegistryErrorWriter.WriteAsync(context, OciErrors.OfStorageFull(route.Kind));
        }
        catch (Exception error) when (error is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            // A response already under way keeps its status line (often 200) but is aborted: a failure all the same.
            await UnexpectedAsync(context, route, error);
            return StatusCodes.Status500InternalServerError;
        }

        return context.Response.StatusCode;
    }

    /// <summary>
    /// A handler failed unexpectedly: logged once, audited as failed, answered with UNKNOWN 500 naming only the
    /// request id (never the exception). A response already under way cannot change status: it is aborted.
    /// </summary>
    private static async Task UnexpectedAsync(HttpContext context, RegistryRoute route, Exception error)
    {
        var requestId = context.TraceIdentifier;
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RegistryApi).FullName!);
        LogUnexpected(logger, error, context.Request.Method, route.Kind, requestId);
        try
        {
            await RegistryAuditRecorder.UnexpectedAsync(context, route, error, requestId);
        }
        catch (Exception auditError)
        {
            // The failure may be the database's; the client still gets its answer.
            LogAuditFailed(logger, auditError, requestId);
        }

        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }

        context.Response.Clear();
        context.Response.Headers[RegistryHeaders.ApiVersion] = RegistryHeaders.ApiVersionValue;
        await RegistryErrorWriter.WriteAsync(context, OciErrors.Unknown, $"An unexpected error occurred; quote request id {requestId} when reporting it.", new { requestId });
    }

    private static async Task DispatchRouteAsync(HttpContext context, RegistryRoute route)
    {
        var method = context.Request.Method;
        if (route.Kind == RegistryRouteKind.Unknown)
        {
            await RegistryErrorWriter.WriteAsync(context, RegistryErrorCode.NameUnknown, "No such registry route.");
            return;
        }

        var guard = context.RequestServices.GetRequiredService<IRegistryAccessGuard>();
        if (route.Kind == RegistryRouteKind.Catalog)
        {
            if (!IsRead(method))
            {
                throw MethodNotAllowed();
            }

            if (await guard.AuthorizeAsync(context, new RegistryAccessRequest(null, RepositoryActions.Pull)))
            {
                await CatalogEndpoints.ListAsync(context);
            }

            return;
        }

        if (!RepositoryName.TryParse(route.Name, out var name))
        {
            throw new RegistryException(
                RegistryErrorCode.NameInvalid,
                "Invalid repository name: use lowercase letters, digits and separators (. _ __ -), components joined by '/', at most 255 characters.",
                new { name = route.Name });
        }

        var access = RequiredAccess(route.Kind, method);
        if (access is null)
        {
            throw MethodNotAllowed();
        }

        var request = new RegistryAccessRequest(name, access.Value, MountSource(context, route.Kind, method));
        if (!await guard.AuthorizeAsync(context, request))
        {
            await RegistryAuditRecorder.DeniedAsync(context, name, access.Value, route);
            return;
        }

        await (route.Kind switch
        {
            RegistryRouteKind.Manifest => ManifestEndpoints.HandleAsync(context, name, route.Argument),
            RegistryRouteKind.Blob => BlobEndpoints.HandleAsync(context, name, route.Argument),
            RegistryRouteKind.Uploads => UploadEndpoints.StartAsync(context, name),
            RegistryRouteKind.Upload => UploadEndpoints.HandleAsync(context, name, route.Argument),
            RegistryRouteKind.TagsList => TagEndpoints.ListAsync(context, name),
            RegistryRouteKind.Referrers => ReferrerEndpoints.ListAsync(context, name, route.Argument),
            _ => throw MethodNotAllowed(),
        });
        await RegistryAuditRecorder.CompletedAsync(context, name, route);
    }

    /// <summary>The access each (resource, method) needs; null when the method is not supported there.</summary>
    private static RepositoryActions? RequiredAccess(RegistryRouteKind kind, string method) => kind switch
    {
        RegistryRouteKind.Manifest or RegistryRouteKind.Blob when IsRead(method) => RepositoryActions.Pull,
        RegistryRouteKind.Manifest when HttpMethods.IsPut(method) => RepositoryActions.Pull | RepositoryActions.Push,
        RegistryRouteKind.Manifest or RegistryRouteKind.Blob when HttpMethods.IsDelete(method) => RepositoryActions.Delete,
        RegistryRouteKind.Uploads when HttpMethods.IsPost(method) => RepositoryActions.Pull | RepositoryActions.Push,
        RegistryRouteKind.Upload when IsRead(method) || HttpMethods.IsPatch(method) || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method)
            => RepositoryActions.Pull | RepositoryActions.Push,
        RegistryRouteKind.TagsList or RegistryRouteKind.Referrers when IsRead(method) => RepositoryActions.Pull,
        _ => null,
    };

    /// <summary>A cross-repository mount also reads the source repository; the guard must see it.</summary>
    private static RepositoryName? MountSource(HttpContext context, RegistryRouteKind kind, string method) =>
        kind == RegistryRouteKind.Uploads && HttpMethods.IsPost(method)
        && context.Request.Query.ContainsKey("mount")
        && RepositoryName.TryParse(context.Request.Query["from"].ToString(), out var from)
            ? from
            : null;

    private static bool IsRead(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method);

    private static RegistryException MethodNotAllowed() =>
        new(RegistryErrorCode.Unsupported, "The operation is not supported on this resource.");

    [LoggerMessage(EventId = 350, Level = LogLevel.Error, Message = "Registry request {Method} {Route} failed unexpectedly (request {RequestId})")]
    private static partial void LogUnexpected(ILogger logger, Exception error, string method, RegistryRouteKind route, string requestId);

    [LoggerMessage(EventId = 352, Level = LogLevel.Warning, Message = "Registry request {Method} {Route} refused: the storage is full ({Reason})")]
    private static partial void LogStorageFull(ILogger logger, string method, RegistryRouteKind route, string reason);

    [LoggerMessage(EventId = 351, Level = LogLevel.Error, Message = "Could not audit the failed registry request {RequestId}")]
    private static partial void LogAuditFailed(ILogger logger, Exception error, string requestId);
}
