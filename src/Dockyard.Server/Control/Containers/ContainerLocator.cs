using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Dockyard.Control.Containers;
using Dockyard.Control.Engines;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Control.Containers;

/// <summary>
/// Finds which engine runs a container, by id, id prefix or name. Containers live on one engine each and a manager
/// cannot reach a worker's containers, so the container is inspected on every reachable engine at once. A full id is
/// first tried on the engine it was last found on; names and prefixes always ask every engine, since one may since
/// be in use on another engine too. A name used on two engines is ambiguous (409: use the id); a container found nowhere while an engine could not be asked is a 503 naming that engine, not a 404.
/// </summary>
internal sealed partial class ContainerLocator(EngineRegistry registry)
{
    /// <summary>Remembered container id→engine pairs; cleared when it grows past this (containers come and go).</summary>
    private const int MaxRemembered = 20_000;

    private const int FullIdLength = 64;

    private readonly ConcurrentDictionary<string, string> _engineOf = new(StringComparer.Ordinal);

    /// <summary>The container <paramref name="reference"/> names, or a <see cref="DomainException"/> (404, 409, 503).</summary>
    public async Task<ContainerTarget> FindAsync(string reference, CancellationToken cancellationToken)
    {
        if (!Reference().IsMatch(reference))
        {
            throw DomainException.NotFound($"Container '{Shorten(reference)}' not found: a container is named by its id, an id prefix or its name.");
        }

        await registry.EnsureLoadedAsync(cancellationToken);
        var engines = registry.Reachable();
        if (reference.Length == FullIdLength && _engineOf.TryGetValue(reference, out var known) && engines.FirstOrDefault(e => e.Name == known) is { } likely
            && await TryInspectAsync(likely, reference, cancellationToken) is { Details: { } remembered })
        {
            return new ContainerTarget(likely, remembered);
        }

        var results = await Task.WhenAll(engines.Select(engine => TryInspectAsync(engine, reference, cancellationToken)));
        var found = results.Where(r => r.Details is not null).DistinctBy(r => r.Details!.Id).ToList();
        if (found.Count > 1)
        {
            throw DomainException.Conflict($"'{reference}' names containers on engines {string.Join(", ", found.Select(f => f.Engine.Name))}; use the container id.");
        }

        if (found.Count == 1)
        {
            var target = new ContainerTarget(found[0].Engine, found[0].Details!);
            Remember(target);
            return target;
        }

        var failed = results.Where(r => r.Failure is not null).ToList();
        if (failed.Count > 0)
        {
            throw DomainException.Unavailable($"Container '{reference}' was not found on the reachable engines, and {string.Join("; ", failed.Select(f => f.Failure))}.");
        }

        throw DomainException.NotFound(engines.Count == 0
            ? $"Container '{reference}' not found: no engine is reachable."
            : $"Container '{reference}' not found.");
    }

    /// <summary>Forgets where a removed container was.</summary>
    public void Forget(ContainerTarget target)
    {
        _engineOf.TryRemove(new KeyValuePair<string, string>(target.Id, target.Engine.Name));
    }

    private void Remember(ContainerTarget target)
    {
        if (_engineOf.Count > MaxRemembered)
        {
            _engineOf.Clear();
        }

        _engineOf[target.Id] = target.Engine.Name;
    }

    private static async Task<(ReachableEngine Engine, ContainerDetails? Details, string? Failure)> TryInspectAsync(
        ReachableEngine engine, string reference, CancellationToken cancellationToken)
    {
        try
        {
            return (engine, await new ContainerClient(engine.Client).InspectAsync(reference, cancellationToken), null);
        }
        catch (EngineApiException error) when (error.Kind == EngineErrorKind.NotFound)
        {
            return (engine, null, null);
        }
        catch (EngineApiException error)
        {
            return (engine, null, error.Message);
        }
        catch (ObjectDisposedException)
        {
            // The engine was removed while we asked it.
            return (engine, null, null);
        }
    }

    private static string Shorten(string reference) => reference.Length <= 80 ? reference : reference[..80] + "…";

    // Docker's container names and ids: [a-zA-Z0-9][a-zA-Z0-9_.-]+ (ids are hex).
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex Reference();
}
