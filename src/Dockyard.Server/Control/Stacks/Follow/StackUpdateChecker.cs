using Dockyard.Server.Control.Images;
using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Control.Stacks.Follow;

/// <summary>
/// "Update available" for the services of a stack: does the tag a service was deployed from (the image as written:
/// label <c>com.docker.stack.image</c> or the revision's images) now point, in Dockyard's index, at another digest than
/// the one the service runs (its spec image <c>repo:tag@sha256:…</c>)? True or false; null when it cannot be said:
/// not an image of Dockyard's registry, written by digest rather than tag, not running a digest, or the tag is gone.
/// One database round trip per call, whatever the number of services.
/// </summary>
internal sealed class StackUpdateChecker(IDbContextFactory<DockyardDbContext> contexts, RegistryAddress address)
{
    /// <summary>The answer for each of <paramref name="services"/>, keyed by <see cref="StackImageCheck.Service"/>.</summary>
    public async Task<IReadOnlyDictionary<string, bool?>> CheckAsync(IReadOnlyList<StackImageCheck> services, CancellationToken cancellationToken)
    {
        var answers = new Dictionary<string, bool?>(StringComparer.Ordinal);
        var wanted = new List<(string Service, string Repository, string Tag, string Running)>();
        foreach (var service in services)
        {
            answers[service.Service] = null;
            if (Parse(service) is { } parsed)
            {
                wanted.Add((service.Service, parsed.Repository, parsed.Tag, parsed.Running));
            }
        }

        if (wanted.Count == 0)
        {
            return answers;
        }

        var repositories = wanted.Select(w => w.Repository).Distinct(StringComparer.Ordinal).ToList();
        var tags = wanted.Select(w => w.Tag).Distinct(StringComparer.Ordinal).ToList();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var targets = (await db.Tags.AsNoTracking()
                .Where(t => repositories.Contains(t.Repository) && tags.Contains(t.Name))
                .Select(t => new { t.Repository, t.Name, t.ManifestDigest })
                .ToListAsync(cancellationToken))
            .ToDictionary(t => (t.Repository, t.Name), t => t.ManifestDigest);
        foreach (var (service, repository, tag, running) in wanted)
        {
            answers[service] = targets.TryGetValue((repository, tag), out var current) ? !string.Equals(current, running, StringComparison.Ordinal) : null;
        }

        return answers;
    }

    /// <summary>The answer for one service; see the class remarks.</summary>
    public async Task<bool?> CheckAsync(StackImageCheck service, CancellationToken cancellationToken) =>
        (await CheckAsync([service], cancellationToken))[service.Service];

    private (string Repository, string Tag, string Running)? Parse(StackImageCheck service)
    {
        if (!address.TryDigestOf(service.RunningImage, out var runningRepository, out var running))
        {
            return null;
        }

        var written = service.DeployedFrom ?? service.RunningImage;
        if (!address.TryParse(written, out var source, out _) || source.Tag is not { } tag || source.Repository != runningRepository)
        {
            return null;
        }

        // Written by digest ("repo@sha256:…") pins it: there is no tag to move.
        if (source.Digest is not null && !string.Equals(written, service.RunningImage, StringComparison.Ordinal))
        {
            return null;
        }

        return (source.Repository.Value, tag, running.Value);
    }
}
