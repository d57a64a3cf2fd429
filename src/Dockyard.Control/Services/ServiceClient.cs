using System.Text.Json;
using System.Text.Json.Nodes;
using Dockyard.Control.Engines;
using Dockyard.Control.Images;

namespace Dockyard.Control.Services;

/// <summary>
/// Swarm services through one manager engine. Workers answer 503 (<see cref="EngineErrorKind.NotManager"/>).
/// Warnings the engine returns on create/update (e.g. an image digest it could not resolve) go to the optional
/// warning callback, so callers can show them without the methods' results changing shape.
/// </summary>
public sealed class ServiceClient(EngineClient engine, Action<string>? onWarning)
{
    /// <summary>A client whose create/update warnings are dropped.</summary>
    public ServiceClient(EngineClient engine)
        : this(engine, null)
    {
    }

    /// <summary><c>GET /services?status=true</c>; filters: id, label, mode, name.</summary>
    public async Task<IReadOnlyList<ServiceSummary>> ListAsync(EngineFilters? filters, CancellationToken cancellationToken)
    {
        var path = EngineQuery.Path("services").Add("status", true).Add(filters).ToString();
        var services = await engine.GetAsync(path, ServiceJsonContext.Default.ListServiceDocument, cancellationToken);
        return services.Select(service => service.ToSummary()).ToList();
    }

    /// <summary><c>GET /services/{id}</c> (id or name). The spec is kept as the engine sent it, fields this code does not model included.</summary>
    public async Task<ServiceDetails> InspectAsync(string id, CancellationToken cancellationToken)
    {
        var document = await engine.GetObjectAsync(EngineQuery.Path("services", id).ToString(), cancellationToken);
        var version = document.VersionIndex(engine.Name);
        var previous = document["PreviousSpec"] as JsonObject;
        document.Remove("PreviousSpec");
        var spec = document.DetachSpec(engine.Name);
        ServiceDocument typed;
        try
        {
            typed = document.Deserialize(ServiceJsonContext.Default.ServiceDocument)
                ?? throw new EngineApiException(engine.Name, EngineErrorKind.Failed, null, "answered an empty service");
        }
        catch (JsonException ex)
        {
            throw new EngineApiException(engine.Name, EngineErrorKind.Failed, null, "answered a service that could not be read: " + ex.Message, ex);
        }

        return new ServiceDetails
        {
            Id = typed.Id,
            Version = version,
            Spec = spec,
            PreviousSpec = previous,
            UpdateState = ServiceDocument.NullIfEmpty(typed.UpdateStatus?.State),
            UpdateMessage = ServiceDocument.NullIfEmpty(typed.UpdateStatus?.Message),
            CreatedAt = typed.CreatedAt,
            UpdatedAt = typed.UpdatedAt,
        };
    }

    /// <summary><c>POST /services/create</c>; <paramref name="registryAuth"/> is the encoded <c>X-Registry-Auth</c> (never logged). Returns the id.</summary>
    /// <remarks>A name already in use is <see cref="EngineErrorKind.Conflict"/>.</remarks>
    public async Task<string> CreateAsync(JsonObject spec, string? registryAuth, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var response = await SendAsync("services/create", spec, registryAuth, cancellationToken);
        return string.IsNullOrEmpty(response.Id)
            ? throw new EngineApiException(engine.Name, EngineErrorKind.Failed, null, "created a service without answering its id")
            : response.Id;
    }

    /// <summary>
    /// <c>POST /services/{id}/update?version=</c> with the whole spec; <paramref name="rollback"/> sends
    /// <c>rollback=previous</c> (the spec is then ignored by the engine and may be the current one).
    /// </summary>
    /// <remarks>
    /// With <paramref name="registryAuth"/> the header is sent with <c>registryAuthFrom=spec</c>. A stale
    /// <paramref name="version"/> is <see cref="EngineErrorKind.Conflict"/> (swarmkit's "update out of sequence").
    /// </remarks>
    public async Task UpdateAsync(string id, long version, JsonObject spec, string? registryAuth, bool rollback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var path = EngineQuery.Path("services", id, "/update").Add("version", version);
        if (!string.IsNullOrEmpty(registryAuth))
        {
            // dockerd reads the camel-case name.
            path.Add("registryAuthFrom", "spec");
        }

        if (rollback)
        {
            path.Add("rollback", "previous");
        }

        await SwarmConflicts.TranslateAsync(engine.Name, () => SendAsync(path.ToString(), spec, registryAuth, cancellationToken));
    }

    /// <summary><c>DELETE /services/{id}</c>.</summary>
    public Task RemoveAsync(string id, CancellationToken cancellationToken) =>
        engine.DeleteAsync(EngineQuery.Path("services", id).ToString(), cancellationToken);

    private async Task<ServiceWriteResponse> SendAsync(string path, JsonObject spec, string? registryAuth, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(EngineClient.RequestTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = EngineJsonObjects.Content(spec) };
        if (!string.IsNullOrEmpty(registryAuth))
        {
            request.Headers.TryAddWithoutValidation(RegistryAuthHeader.Name, registryAuth);
        }

        using var response = await engine.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
        var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
        ServiceWriteResponse answer;
        try
        {
            answer = body.Length == 0
                ? new ServiceWriteResponse(null, null, null)
                : JsonSerializer.Deserialize(body, ServiceJsonContext.Default.ServiceWriteResponse) ?? new ServiceWriteResponse(null, null, null);
        }
        catch (JsonException ex)
        {
            throw new EngineApiException(engine.Name, EngineErrorKind.Failed, (int)response.StatusCode, "answered with JSON that could not be read: " + ex.Message, ex);
        }

        foreach (var warning in answer.AllWarnings)
        {
            onWarning?.Invoke(warning);
        }

        return answer;
    }
}
